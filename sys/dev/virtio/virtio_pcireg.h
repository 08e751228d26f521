/*
 * The virtio 1.x PCI transport's layouts (virtio 1.1, 4.1): the vendor
 * capabilities that locate each configuration structure inside a BAR, and
 * the common configuration structure's registers.
 */
#ifndef _DEV_VIRTIO_VIRTIO_PCIREG_H_
#define _DEV_VIRTIO_VIRTIO_PCIREG_H_

#define VIRTIO_PCI_VENDOR		0x1af4	/* 4.1.2 */
#define VIRTIO_PCI_DEVICE_LEGACY_MIN	0x1000	/* transitional: 0x1000+ */
#define VIRTIO_PCI_DEVICE_LEGACY_MAX	0x103f
#define VIRTIO_PCI_DEVICE_MODERN	0x1040	/* + the virtio device id */
#define VIRTIO_PCI_DEVICE_MODERN_MAX	0x107f
#define VIRTIO_PCI_SUBSYS_ID		0x2e	/* transitional: device id */

/* The vendor-specific capability (PCI cap id 9) and its fields (4.1.4). */
#define VIRTIO_PCI_CAP_ID		0x09
#define VIRTIO_PCI_CAP_LEN		2	/* u8: capability length */
#define VIRTIO_PCI_CAP_CFG_TYPE		3	/* u8: VIRTIO_PCI_CAP_*_CFG */
#define VIRTIO_PCI_CAP_BAR		4	/* u8: BAR 0-5 */
#define VIRTIO_PCI_CAP_OFFSET		8	/* le32: offset in the BAR */
#define VIRTIO_PCI_CAP_LENGTH		12	/* le32: structure's length */
#define VIRTIO_PCI_NOTIFY_CAP_MULT	16	/* le32 (4.1.4.4) */

#define VIRTIO_PCI_CAP_COMMON_CFG	1	/* 4.1.4.3 */
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2	/* 4.1.4.4 */
#define VIRTIO_PCI_CAP_ISR_CFG		3	/* 4.1.4.5 */
#define VIRTIO_PCI_CAP_DEVICE_CFG	4	/* 4.1.4.6 */
#define VIRTIO_PCI_CAP_PCI_CFG		5	/* 4.1.4.7 */

/* struct virtio_pci_common_cfg (4.1.4.3): offsets and widths. */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00	/* le32 device_feature_select */
#define VIRTIO_PCI_COMMON_DF		0x04	/* le32 device_feature */
#define VIRTIO_PCI_COMMON_GFSELECT	0x08	/* le32 driver_feature_select */
#define VIRTIO_PCI_COMMON_GF		0x0c	/* le32 driver_feature */
#define VIRTIO_PCI_COMMON_MSIX		0x10	/* le16 msix_config */
#define VIRTIO_PCI_COMMON_NUMQ		0x12	/* le16 num_queues */
#define VIRTIO_PCI_COMMON_STATUS	0x14	/* u8 device_status */
#define VIRTIO_PCI_COMMON_CFGGEN	0x15	/* u8 config_generation */
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16	/* le16 queue_select */
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18	/* le16 queue_size */
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a	/* le16 queue_msix_vector */
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c	/* le16 queue_enable */
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e	/* le16 queue_notify_off */
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20	/* le64 queue_desc */
#define VIRTIO_PCI_COMMON_Q_DESCHI	0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28	/* le64 queue_driver */
#define VIRTIO_PCI_COMMON_Q_AVAILHI	0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30	/* le64 queue_device */
#define VIRTIO_PCI_COMMON_Q_USEDHI	0x34
#define VIRTIO_PCI_COMMON_LEN		0x38

#define VIRTIO_MSI_NO_VECTOR		0xffff	/* 4.1.4.3: no MSI-X vector */

/* The ISR status byte (4.1.4.5): reading it clears it. */
#define VIRTIO_PCI_ISR_QUEUE		0x1
#define VIRTIO_PCI_ISR_CONFIG		0x2

#endif /* _DEV_VIRTIO_VIRTIO_PCIREG_H_ */
