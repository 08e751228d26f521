/*
 * The virtio 1.x modern PCI transport (dev/virtio/virtio_pci.c): the state
 * a virtio driver keeps for it, and the call that sets it up.
 *
 * Locks protecting members of this struct:
 *	B	set during attach, on one CPU; read-only afterwards
 */
#ifndef _DEV_VIRTIO_VIRTIO_PCIVAR_H_
#define _DEV_VIRTIO_VIRTIO_PCIVAR_H_

#include <sys/types.h>
#include <dev/pci/pcivar.h>

struct virtio_softc;

struct virtio_pci_softc {
	struct device	*vp_dev;		/* [B] the PCI function */
	struct virtio_softc *vp_vsc;		/* [B] */
	volatile uint8_t *vp_common;		/* [B] common configuration */
	volatile uint8_t *vp_notify;		/* [B] notification area */
	uint32_t	 vp_notify_len;		/* [B] */
	uint32_t	 vp_notify_mult;	/* [B] notify_off_multiplier */
	volatile uint8_t *vp_isr;		/* [B] ISR status byte */
	volatile uint8_t *vp_devcfg;		/* [B] device configuration */
	uint32_t	 vp_devcfg_len;		/* [B] */
	enum pci_intr_kind vp_intr;		/* [B] what we got */
	int		 vp_nvec;		/* [B] vectors given */
	int		 vp_nvq;		/* [B] queues asked for */
};

/*
 * Set up the modern transport of PCI function dv for vsc (whose vs_name
 * is set): find its capabilities, map them, and fill vsc->vs_ops and
 * vs_transport (vp, which the caller provides and keeps).  Returns 0, or
 * -ENODEV for a function that is not a modern virtio device (legacy-only
 * devices included, logged), -ENXIO when a structure cannot be mapped.
 * Attach only.
 */
int	virtio_pci_attach(struct device *dv, struct virtio_softc *vsc,
	    struct virtio_pci_softc *vp);

#endif /* _DEV_VIRTIO_VIRTIO_PCIVAR_H_ */
