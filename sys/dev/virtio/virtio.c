/*
 * Virtio, whatever the transport: the device initialisation sequence and
 * feature negotiation (virtio 1.1, 3.1.1 and 2.2), reading the device's
 * configuration consistently (2.4.1), DMA memory for rings, and the
 * dispatch of queue interrupts to drivers.
 *
 * Only modern devices are driven: a device that does not offer
 * VIRTIO_F_VERSION_1 is refused with a log line.  This kernel has no
 * legacy ("virtio 0.9.5") interface on purpose: its layouts differ, and
 * every device QEMU emulates today also speaks virtio 1.x.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vm_phys.h>

#include <dev/virtio/virtioreg.h>
#include <dev/virtio/virtiovar.h>

/*
 * The device-independent features this kernel knows how to use.  Drivers
 * add their own.  VIRTIO_F_EVENT_IDX is not taken: interrupts are
 * suppressed by nothing, which is simple and correct.
 */
#define VIRTIO_F_KNOWN	(VIRTIO_BIT(VIRTIO_F_VERSION_1) |		\
			 VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC))

static void
virtio_add_status(struct virtio_softc *sc, uint8_t bits)
{
	sc->vs_ops->vop_set_status(sc,
	    sc->vs_ops->vop_get_status(sc) | bits);
}

/*
 * Reset sc, say ACKNOWLEDGE and DRIVER, and accept the features of wanted
 * (a mask of VIRTIO_BIT()s the driver can use) that the device offers,
 * plus VIRTIO_F_VERSION_1 and, when offered, VIRTIO_F_INDIRECT_DESC
 * (virtio 1.1, 3.1.1 steps 1-6).  The negotiated set is in
 * sc->vs_features.  Returns 0, -ENODEV for a legacy-only device, or -EIO
 * when the device refuses FEATURES_OK; the device is left FAILED then.
 * Attach only ([B]).
 */
int
virtio_negotiate(struct virtio_softc *sc, uint64_t wanted)
{
	uint64_t offered, take;

	sc->vs_ops->vop_reset(sc);
	virtio_add_status(sc, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(sc, VIRTIO_CONFIG_S_DRIVER);
	offered = sc->vs_ops->vop_get_features(sc);
	if ((offered & VIRTIO_BIT(VIRTIO_F_VERSION_1)) == 0) {
		klog(sc->vs_name, "legacy-only virtio device (no VERSION_1, "
		    "features %#lx): not supported", offered);
		virtio_fail(sc);
		return -ENODEV;
	}
	take = offered & (wanted | VIRTIO_F_KNOWN);
	sc->vs_ops->vop_set_features(sc, take);
	virtio_add_status(sc, VIRTIO_CONFIG_S_FEATURES_OK);
	/* 3.1.1 step 6: the device may refuse the subset. */
	if ((sc->vs_ops->vop_get_status(sc) &
	    VIRTIO_CONFIG_S_FEATURES_OK) == 0) {
		klog(sc->vs_name, "device refused features %#lx", take);
		virtio_fail(sc);
		return -EIO;
	}
	sc->vs_features = take;
	return 0;
}

/*
 * Ask the transport for interrupts for nvq queues (and configuration
 * changes).  Returns the number of vectors given or -errno (logged).
 * Attach only ([B]).
 */
int
virtio_setup_intr(struct virtio_softc *sc, int nvq)
{
	int n;

	if (nvq < 1 || nvq > VIRTIO_MAXQUEUES)
		return -EINVAL;
	if ((n = sc->vs_ops->vop_setup_intr(sc, nvq)) < 0)
		klog(sc->vs_name, "no interrupt (error %d)", n);
	return n;
}

/*
 * The driver is ready: set DRIVER_OK (3.1.1 step 8).  From here on the
 * device may use the queues and interrupt.  Attach only ([B]).
 */
void
virtio_driver_ok(struct virtio_softc *sc)
{
	virtio_add_status(sc, VIRTIO_CONFIG_S_DRIVER_OK);
}

/*
 * Give up on sc: set FAILED (3.1.1), so that the device stops.  Called
 * by a failing attach ([B]).
 */
void
virtio_fail(struct virtio_softc *sc)
{
	virtio_add_status(sc, VIRTIO_CONFIG_S_FAILED);
}

/* Was feature bit negotiated?  No lock (vs_features is [B]). */
bool
virtio_has(const struct virtio_softc *sc, int bit)
{
	return (sc->vs_features & VIRTIO_BIT(bit)) != 0;
}

/*
 * Device-specific configuration reads.  A field wider than 32 bits may
 * change between its two halves; config_generation tells (virtio 1.1,
 * 2.4.1), so the read is repeated until it is stable.  No lock.
 */
uint64_t
virtio_read_config64(struct virtio_softc *sc, int off)
{
	const struct virtio_ops *ops = sc->vs_ops;
	uint32_t lo, hi;
	uint8_t gen;

	do {
		gen = ops->vop_config_generation(sc);
		lo = ops->vop_read_config(sc, off, 4);
		hi = ops->vop_read_config(sc, off + 4, 4);
	} while (gen != ops->vop_config_generation(sc));
	return (uint64_t)hi << 32 | lo;
}

/* A 32-bit configuration field at off.  No lock. */
uint32_t
virtio_read_config32(struct virtio_softc *sc, int off)
{
	return sc->vs_ops->vop_read_config(sc, off, 4);
}

/* A 16-bit configuration field at off.  No lock. */
uint16_t
virtio_read_config16(struct virtio_softc *sc, int off)
{
	return sc->vs_ops->vop_read_config(sc, off, 2);
}

/* An 8-bit configuration field at off.  No lock. */
uint8_t
virtio_read_config8(struct virtio_softc *sc, int off)
{
	return sc->vs_ops->vop_read_config(sc, off, 1);
}

/*
 * The transport says queue idx may have used buffers: call its driver's
 * completion handler.  Interrupt context (interrupts off).
 */
void
virtio_vq_intr(struct virtio_softc *sc, int idx)
{
	struct virtqueue *vq;

	if (idx < 0 || idx >= sc->vs_nvqs || (vq = sc->vs_vqs[idx]) == NULL)
		return;
	vq->vq_done(vq);
}

/*
 * The transport says the device configuration changed (virtio 1.1,
 * 2.4.2): tell the driver, or log it.  Interrupt context.
 */
void
virtio_config_intr(struct virtio_softc *sc)
{
	if (sc->vs_config_change != NULL)
		sc->vs_config_change(sc);
	else
		klog(sc->vs_name, "configuration changed (ignored)");
	if (sc->vs_ops->vop_get_status(sc) & VIRTIO_CONFIG_S_NEEDS_RESET)
		klog(sc->vs_name, "device needs a reset: it stopped working");
}

/*
 * size bytes of zeroed, physically contiguous memory for the device to
 * read or write, in the direct map; its physical address in *pap and its
 * vm_phys order in *orderp (for virtio_dma_free).  NULL when there is no
 * such block.  Takes vm_phys_lock.
 */
void *
virtio_dma_alloc(size_t size, paddr_t *pap, unsigned *orderp)
{
	unsigned order = 0;
	paddr_t pa;
	void *va;

	while ((PAGE_SIZE << order) < size)
		if (++order > VM_PHYS_MAXORDER)
			return NULL;
	if ((pa = vm_phys_alloc(order)) == 0)
		return NULL;
	va = PHYS_TO_DMAP(pa);
	memset(va, 0, PAGE_SIZE << order);
	*pap = pa;
	*orderp = order;
	return va;
}

/* Give back a block of virtio_dma_alloc.  Takes vm_phys_lock. */
void
virtio_dma_free(void *va, unsigned order)
{
	if (va != NULL)
		vm_phys_free(DMAP_TO_PHYS(va), order);
}
