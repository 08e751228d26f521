/*
 * PCI configuration space: the type 0/1 header fields we read,
 * configuration mechanism #1 and ECAM (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2, 6.1, 6.2.5, 6.7, 6.8; PCI Express Base 4.0, 7.2.2), and the
 * capabilities we drive: MSI (PCI 3.0, 6.8.1) and MSI-X (6.8.2).
 */
#ifndef _DEV_PCI_PCIREG_H_
#define _DEV_PCI_PCIREG_H_

#define PCI_CFG_ADDR		0xcf8	/* mechanism #1 address port */
#define PCI_CFG_DATA		0xcfc	/* and data port */
#define PCI_CFG_ENABLE		0x80000000

/* ECAM: 4 KiB per function, 1 MiB per bus (PCIe 4.0, 7.2.2). */
#define PCI_ECAM_OFFSET(bus, slot, func)				\
	(((uint64_t)(bus) << 20) | ((uint64_t)(slot) << 15) |		\
	((uint64_t)(func) << 12))
#define PCI_ECAM_BUS_SIZE	(1UL << 20)
#define PCI_CFG_SIZE		256	/* what mechanism #1 reaches */
#define PCIE_CFG_SIZE		4096	/* what ECAM reaches */

#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x0001	/* I/O space decoding */
#define  PCI_COMMAND_MEM	0x0002	/* memory space decoding */
#define  PCI_COMMAND_MASTER	0x0004	/* bus master (DMA, MSI) */
#define  PCI_COMMAND_INTX_DIS	0x0400	/* INTx emulation disable */
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x0010	/* the capability pointer is valid */
#define  PCI_STATUS_INTR	0x0008	/* INTx asserted */
#define PCI_REVISION		0x08	/* revision, progif, subclass, class */
#define PCI_HEADER_TYPE		0x0e	/* bit 7: multi-function */
#define  PCI_HEADER_MULTIFN	0x80
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_NORMAL	0x00
#define  PCI_HEADER_BRIDGE	0x01
#define  PCI_HEADER_CARDBUS	0x02
#define PCI_BAR0		0x10	/* BARs 0-5 (type 0), 0-1 (type 1) */
#define  PCI_BAR_IO_SPACE	0x1	/* bit 0: I/O (else memory) */
#define  PCI_BAR_IO_MASK	0xfffffffcU
#define  PCI_BAR_MEM_TYPE_MASK	0x6	/* bits 2-1: 00 32-bit, 10 64-bit */
#define  PCI_BAR_MEM_TYPE_64	0x4
#define  PCI_BAR_MEM_PREFETCH	0x8
#define  PCI_BAR_MEM_MASK	0xfffffff0U
#define PCI_NBARS_NORMAL	6
#define PCI_NBARS_BRIDGE	2
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridge) header */
#define PCI_CAP_PTR		0x34	/* types 0 and 1 */
#define PCI_CARDBUS_CAP_PTR	0x14	/* type 2 */
#define PCI_INTERRUPT_LINE	0x3c	/* what the firmware routed; 0xff none */
#define PCI_INTERRUPT_PIN	0x3d	/* 0 none, 1-4 INTA#-INTD# */

/* Capability ids (PCI Code and ID Assignment 1.11, 2). */
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific (virtio) */
#define PCI_CAP_ID_EXP		0x10	/* PCI Express */
#define PCI_CAP_ID_MSIX		0x11

/* MSI capability (PCI 3.0, 6.8.1). */
#define PCI_MSI_CTRL		0x02
#define  PCI_MSI_CTRL_ENABLE	0x0001
#define  PCI_MSI_CTRL_MME_MASK	0x0070	/* multiple message enable */
#define  PCI_MSI_CTRL_64BIT	0x0080
#define  PCI_MSI_CTRL_PVM	0x0100	/* per-vector masking */
#define PCI_MSI_ADDR_LO		0x04
#define PCI_MSI_ADDR_HI		0x08	/* 64-bit only */
#define PCI_MSI_DATA_32		0x08
#define PCI_MSI_DATA_64		0x0c
#define PCI_MSI_MASK_32		0x0c
#define PCI_MSI_MASK_64		0x10

/* MSI-X capability and table (PCI 3.0, 6.8.2). */
#define PCI_MSIX_CTRL		0x02
#define  PCI_MSIX_CTRL_SIZE	0x07ff	/* table size - 1 */
#define  PCI_MSIX_CTRL_MASK	0x4000	/* function mask */
#define  PCI_MSIX_CTRL_ENABLE	0x8000
#define PCI_MSIX_TABLE		0x04	/* offset | BIR */
#define PCI_MSIX_PBA		0x08
#define  PCI_MSIX_BIR_MASK	0x7
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_ENTRY_ADDR_LO	0x0
#define PCI_MSIX_ENTRY_ADDR_HI	0x4
#define PCI_MSIX_ENTRY_DATA	0x8
#define PCI_MSIX_ENTRY_CTRL	0xc
#define  PCI_MSIX_ENTRY_MASKED	0x1

#define PCI_CLASS_BRIDGE	0x06
#define PCI_SUBCLASS_PCI_BRIDGE	0x04

#define PCI_MAX_BUSES		256
#define PCI_MAX_SLOTS		32
#define PCI_MAX_FUNCS		8

#endif /* _DEV_PCI_PCIREG_H_ */
