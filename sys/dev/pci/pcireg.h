/*
 * PCI configuration space: the type 0/1 header fields we read, and
 * configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2
 * and 6.1).
 */
#ifndef _DEV_PCI_PCIREG_H_
#define _DEV_PCI_PCIREG_H_

#define PCI_CFG_ADDR		0xcf8	/* mechanism #1 address port */
#define PCI_CFG_DATA		0xcfc	/* and data port */
#define PCI_CFG_ENABLE		0x80000000

#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_REVISION		0x08	/* revision, progif, subclass, class */
#define PCI_HEADER_TYPE		0x0e	/* bit 7: multi-function */
#define  PCI_HEADER_MULTIFN	0x80
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_BRIDGE	0x01
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridge) header */

#define PCI_CLASS_BRIDGE	0x06
#define PCI_SUBCLASS_PCI_BRIDGE	0x04

#define PCI_MAX_BUSES		256
#define PCI_MAX_SLOTS		32
#define PCI_MAX_FUNCS		8

#endif /* _DEV_PCI_PCIREG_H_ */
