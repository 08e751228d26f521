/*
 * The virtio 1.x modern PCI transport (virtio 1.1, 4.1).
 *
 * A modern virtio PCI function describes its configuration structures
 * with vendor-specific capabilities (4.1.4): each names a BAR, an offset
 * and a length.  We need the common configuration (feature bits, status,
 * queue set-up: 4.1.4.3), the notification area (4.1.4.4), the ISR status
 * byte (4.1.4.5) and the device-specific configuration (4.1.4.6).  A
 * transitional device also has the legacy I/O BAR; it is never used.
 *
 * Interrupts: with MSI-X, vector 0 is for configuration changes and vector
 * 1 + i for queue i (4.1.5.1.2); if fewer vectors are given, they all go
 * to vector 0, whose handler then looks at every queue.  Without MSI-X
 * (INTx, e.g. QEMU's vectors=0) the line may be shared: the handler reads
 * the ISR status byte, which also lowers the line (4.1.4.5), and returns
 * at once when it is 0.
 *
 * Locking: everything here is set up during attach ([B]); the notify
 * register write is a single store, made under the queue's lock.
 */
#include <sys/types.h>
#include <sys/device.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/systm.h>

#include <dev/pci/pcivar.h>
#include <dev/virtio/virtioreg.h>
#include <dev/virtio/virtiovar.h>
#include <dev/virtio/virtio_pcireg.h>
#include <dev/virtio/virtio_pcivar.h>

#define VIRTIO_PCI_RESET_SPINS	1000000

static struct virtio_pci_softc *
vp_of(struct virtio_softc *sc)
{
	return sc->vs_transport;
}

static uint8_t
vp_common_read8(struct virtio_pci_softc *vp, int off)
{
	return *(volatile uint8_t *)(vp->vp_common + off);
}

static uint16_t
vp_common_read16(struct virtio_pci_softc *vp, int off)
{
	return *(volatile uint16_t *)(vp->vp_common + off);
}

static uint32_t
vp_common_read32(struct virtio_pci_softc *vp, int off)
{
	return *(volatile uint32_t *)(vp->vp_common + off);
}

static void
vp_common_write8(struct virtio_pci_softc *vp, int off, uint8_t v)
{
	*(volatile uint8_t *)(vp->vp_common + off) = v;
}

static void
vp_common_write16(struct virtio_pci_softc *vp, int off, uint16_t v)
{
	*(volatile uint16_t *)(vp->vp_common + off) = v;
}

static void
vp_common_write32(struct virtio_pci_softc *vp, int off, uint32_t v)
{
	*(volatile uint32_t *)(vp->vp_common + off) = v;
}

/* A 64-bit field as two 32-bit halves, low first (4.1.3.1). */
static void
vp_common_write64(struct virtio_pci_softc *vp, int off, uint64_t v)
{
	vp_common_write32(vp, off, (uint32_t)v);
	vp_common_write32(vp, off + 4, (uint32_t)(v >> 32));
}

static uint8_t
vp_get_status(struct virtio_softc *sc)
{
	return vp_common_read8(vp_of(sc), VIRTIO_PCI_COMMON_STATUS);
}

static void
vp_set_status(struct virtio_softc *sc, uint8_t status)
{
	vp_common_write8(vp_of(sc), VIRTIO_PCI_COMMON_STATUS, status);
}

/* 4.1.4.3.2: write 0, then wait until the device reads back 0. */
static void
vp_reset(struct virtio_softc *sc)
{
	int i;

	vp_set_status(sc, 0);
	for (i = 0; i < VIRTIO_PCI_RESET_SPINS; i++) {
		if (vp_get_status(sc) == 0)
			return;
		__asm__ volatile("pause");
	}
	klog(sc->vs_name, "device did not finish its reset");
}

static uint64_t
vp_get_features(struct virtio_softc *sc)
{
	struct virtio_pci_softc *vp = vp_of(sc);
	uint64_t f;

	vp_common_write32(vp, VIRTIO_PCI_COMMON_DFSELECT, 0);
	f = vp_common_read32(vp, VIRTIO_PCI_COMMON_DF);
	vp_common_write32(vp, VIRTIO_PCI_COMMON_DFSELECT, 1);
	f |= (uint64_t)vp_common_read32(vp, VIRTIO_PCI_COMMON_DF) << 32;
	return f;
}

static void
vp_set_features(struct virtio_softc *sc, uint64_t f)
{
	struct virtio_pci_softc *vp = vp_of(sc);

	vp_common_write32(vp, VIRTIO_PCI_COMMON_GFSELECT, 0);
	vp_common_write32(vp, VIRTIO_PCI_COMMON_GF, (uint32_t)f);
	vp_common_write32(vp, VIRTIO_PCI_COMMON_GFSELECT, 1);
	vp_common_write32(vp, VIRTIO_PCI_COMMON_GF, (uint32_t)(f >> 32));
}

static uint32_t
vp_read_config(struct virtio_softc *sc, int off, int width)
{
	struct virtio_pci_softc *vp = vp_of(sc);
	volatile uint8_t *p;

	if (off < 0 || (uint32_t)(off + width) > vp->vp_devcfg_len) {
		klog(sc->vs_name, "config read at %d beyond %u bytes", off,
		    vp->vp_devcfg_len);
		return 0;
	}
	p = vp->vp_devcfg + off;
	switch (width) {
	case 1:
		return *p;
	case 2:
		return *(volatile uint16_t *)p;
	default:
		return *(volatile uint32_t *)p;
	}
}

static uint8_t
vp_config_generation(struct virtio_softc *sc)
{
	return vp_common_read8(vp_of(sc), VIRTIO_PCI_COMMON_CFGGEN);
}

static int
vp_num_queues(struct virtio_softc *sc)
{
	return vp_common_read16(vp_of(sc), VIRTIO_PCI_COMMON_NUMQ);
}

static int
vp_queue_max(struct virtio_softc *sc, int idx)
{
	struct virtio_pci_softc *vp = vp_of(sc);

	if (idx >= vp_num_queues(sc))
		return 0;
	vp_common_write16(vp, VIRTIO_PCI_COMMON_Q_SELECT, idx);
	return vp_common_read16(vp, VIRTIO_PCI_COMMON_Q_SIZE);
}

/* The MSI-X table entry that serves queue idx (-1: configuration). */
static int
vp_msix_entry(struct virtio_pci_softc *vp, int idx)
{
	if (vp->vp_nvec > vp->vp_nvq)
		return pci_intr_msix_entry(vp->vp_dev, idx + 1);
	return pci_intr_msix_entry(vp->vp_dev, 0);
}

static int
vp_setup_queue(struct virtio_softc *sc, struct virtqueue *vq)
{
	struct virtio_pci_softc *vp = vp_of(sc);
	uint32_t off;
	int entry;

	vp_common_write16(vp, VIRTIO_PCI_COMMON_Q_SELECT, vq->vq_index);
	if (vp_common_read16(vp, VIRTIO_PCI_COMMON_Q_ENABLE) != 0) {
		klog(sc->vs_name, "queue %d already enabled", vq->vq_index);
		return -EBUSY;
	}
	vp_common_write16(vp, VIRTIO_PCI_COMMON_Q_SIZE, vq->vq_size);
	if (vp->vp_intr == PCI_INTR_MSIX) {
		entry = vp_msix_entry(vp, vq->vq_index);
		vp_common_write16(vp, VIRTIO_PCI_COMMON_Q_MSIX, entry);
		/* 4.1.5.1.2.1: read back; NO_VECTOR means refused. */
		if (entry < 0 || vp_common_read16(vp,
		    VIRTIO_PCI_COMMON_Q_MSIX) != (uint16_t)entry) {
			klog(sc->vs_name, "queue %d: MSI-X entry %d refused",
			    vq->vq_index, entry);
			return -EIO;
		}
	}
	vp_common_write64(vp, VIRTIO_PCI_COMMON_Q_DESCLO, vq->vq_desc_pa);
	vp_common_write64(vp, VIRTIO_PCI_COMMON_Q_AVAILLO, vq->vq_avail_pa);
	vp_common_write64(vp, VIRTIO_PCI_COMMON_Q_USEDLO, vq->vq_used_pa);
	vq->vq_notify_off = vp_common_read16(vp, VIRTIO_PCI_COMMON_Q_NOFF);
	off = (uint32_t)vq->vq_notify_off * vp->vp_notify_mult;
	if (off + 2 > vp->vp_notify_len) {
		klog(sc->vs_name, "queue %d: notify offset %u beyond %u bytes",
		    vq->vq_index, off, vp->vp_notify_len);
		return -EIO;
	}
	vq->vq_notify_addr = vp->vp_notify + off;
	vp_common_write16(vp, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	return 0;
}

/* 4.1.4.4: the queue's index, written to its notification address. */
static void
vp_notify(struct virtio_softc *sc, struct virtqueue *vq)
{
	(void)sc;
	*(volatile uint16_t *)vq->vq_notify_addr = vq->vq_index;
}

static void
vp_intr_queue(struct virtio_pci_softc *vp, int idx)
{
	vp->vp_vsc->vs_nintr++;
	virtio_vq_intr(vp->vp_vsc, idx);
}

/* Vector 0: configuration only with full MSI-X, else every source. */
static void
vp_intr_vec0(void *arg)
{
	struct virtio_pci_softc *vp = arg;
	struct virtio_softc *sc = vp->vp_vsc;
	uint8_t isr;
	int i;

	if (vp->vp_intr == PCI_INTR_MSIX && vp->vp_nvec > vp->vp_nvq) {
		sc->vs_nintr++;
		virtio_config_intr(sc);
		return;
	}
	if (vp->vp_intr == PCI_INTR_MSIX) {
		isr = VIRTIO_PCI_ISR_QUEUE;	/* no ISR with MSI-X */
	} else {
		/* Reading clears it and deasserts the line (4.1.4.5). */
		isr = *vp->vp_isr;
		if (isr == 0)
			return;			/* the shared line's other */
	}
	sc->vs_nintr++;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		virtio_config_intr(sc);
	if (isr & VIRTIO_PCI_ISR_QUEUE)
		for (i = 0; i < vp->vp_nvq; i++)
			virtio_vq_intr(sc, i);
}

static void
vp_intr_q0(void *arg)
{
	vp_intr_queue(arg, 0);
}

static void
vp_intr_q1(void *arg)
{
	vp_intr_queue(arg, 1);
}

static void
vp_intr_q2(void *arg)
{
	vp_intr_queue(arg, 2);
}

static void
vp_intr_q3(void *arg)
{
	vp_intr_queue(arg, 3);
}

static intr_handler_t *const vp_handlers[1 + VIRTIO_MAXQUEUES] = {
	vp_intr_vec0, vp_intr_q0, vp_intr_q1, vp_intr_q2, vp_intr_q3,
};

static int
vp_setup_intr(struct virtio_softc *sc, int nvq)
{
	struct virtio_pci_softc *vp = vp_of(sc);
	int entry, n;

	vp->vp_nvq = nvq;
	n = pci_intr_setup(vp->vp_dev, 1 + nvq, vp_handlers, vp,
	    sc->vs_name, 0);
	if (n < 0)
		return n;
	vp->vp_intr = pci_intr_kind(vp->vp_dev);
	vp->vp_nvec = n;
	if (vp->vp_intr == PCI_INTR_MSIX) {
		entry = pci_intr_msix_entry(vp->vp_dev, 0);
		vp_common_write16(vp, VIRTIO_PCI_COMMON_MSIX, entry);
		if (entry < 0 || vp_common_read16(vp, VIRTIO_PCI_COMMON_MSIX)
		    != (uint16_t)entry) {
			klog(sc->vs_name, "MSI-X entry %d refused for "
			    "configuration changes", entry);
			return -EIO;
		}
	}
	return n;
}

static const char *
vp_intr_name(struct virtio_softc *sc)
{
	switch (vp_of(sc)->vp_intr) {
	case PCI_INTR_MSIX:
		return "MSI-X";
	case PCI_INTR_MSI:
		return "MSI";
	case PCI_INTR_INTX:
		return "INTx";
	default:
		return "none";
	}
}

static const struct virtio_ops virtio_pci_ops = {
	.vop_name = "pci",
	.vop_get_status = vp_get_status,
	.vop_set_status = vp_set_status,
	.vop_reset = vp_reset,
	.vop_get_features = vp_get_features,
	.vop_set_features = vp_set_features,
	.vop_read_config = vp_read_config,
	.vop_config_generation = vp_config_generation,
	.vop_num_queues = vp_num_queues,
	.vop_queue_max = vp_queue_max,
	.vop_setup_intr = vp_setup_intr,
	.vop_setup_queue = vp_setup_queue,
	.vop_notify = vp_notify,
	.vop_intr_name = vp_intr_name,
};

/*
 * Map the structure of capability cap (at configuration offset capoff):
 * its address, or NULL (logged) when its BAR is not memory or the
 * structure does not fit in it.
 */
static volatile uint8_t *
vp_map_cap(struct virtio_softc *sc, struct device *dv, int capoff,
    uint32_t *lenp)
{
	struct pci_bar pb;
	volatile uint8_t *base;
	uint32_t off, len;
	int bar;

	bar = pci_read8(dv, capoff + VIRTIO_PCI_CAP_BAR);
	off = pci_read32(dv, capoff + VIRTIO_PCI_CAP_OFFSET);
	len = pci_read32(dv, capoff + VIRTIO_PCI_CAP_LENGTH);
	if (bar > 5 || pci_bar(dv, bar, &pb) < 0 ||
	    (pb.pb_type != PCI_BAR_MEM32 && pb.pb_type != PCI_BAR_MEM64) ||
	    (uint64_t)off + len > pb.pb_size) {
		klog(sc->vs_name, "capability at %#x: BAR %d offset %#x "
		    "length %#x is not in a memory BAR", capoff, bar, off, len);
		return NULL;
	}
	if ((base = pci_bar_map(dv, bar)) == NULL)
		return NULL;
	*lenp = len;
	return base + off;
}

/* The first capability of each kind we need (4.1.4: "the first one"). */
static int
vp_find_caps(struct virtio_softc *sc, struct device *dv, int caps[6])
{
	int off, type;

	memset(caps, 0, 6 * sizeof(caps[0]));
	for (off = pci_find_cap(dv, VIRTIO_PCI_CAP_ID, 0); off != 0;
	    off = pci_find_cap(dv, VIRTIO_PCI_CAP_ID, off)) {
		type = pci_read8(dv, off + VIRTIO_PCI_CAP_CFG_TYPE);
		if (type >= 1 && type <= 5 && caps[type] == 0)
			caps[type] = off;
	}
	if (caps[VIRTIO_PCI_CAP_COMMON_CFG] == 0 ||
	    caps[VIRTIO_PCI_CAP_NOTIFY_CFG] == 0 ||
	    caps[VIRTIO_PCI_CAP_ISR_CFG] == 0) {
		klog(sc->vs_name, "%04x:%04x has no virtio 1.x capabilities: "
		    "a legacy-only device, not supported", dv->dv_pci_vendor,
		    dv->dv_pci_device);
		return -ENODEV;
	}
	return 0;
}

/*
 * Set up the modern transport of dv for vsc (see virtio_pcivar.h).
 * Attach only ([B]).
 */
int
virtio_pci_attach(struct device *dv, struct virtio_softc *vsc,
    struct virtio_pci_softc *vp)
{
	int caps[6], error;
	uint32_t len;

	vsc->vs_dev = dv;
	vsc->vs_ops = &virtio_pci_ops;
	vsc->vs_transport = vp;
	vp->vp_dev = dv;
	vp->vp_vsc = vsc;
	if (dv->dv_pci_device >= VIRTIO_PCI_DEVICE_MODERN)
		vsc->vs_devid = dv->dv_pci_device - VIRTIO_PCI_DEVICE_MODERN;
	else
		vsc->vs_devid = pci_read16(dv, VIRTIO_PCI_SUBSYS_ID);
	if ((error = vp_find_caps(vsc, dv, caps)) < 0)
		return error;
	vp->vp_common = vp_map_cap(vsc, dv, caps[VIRTIO_PCI_CAP_COMMON_CFG],
	    &len);
	if (vp->vp_common == NULL || len < VIRTIO_PCI_COMMON_LEN)
		return -ENXIO;
	vp->vp_notify = vp_map_cap(vsc, dv, caps[VIRTIO_PCI_CAP_NOTIFY_CFG],
	    &vp->vp_notify_len);
	vp->vp_notify_mult = pci_read32(dv, caps[VIRTIO_PCI_CAP_NOTIFY_CFG] +
	    VIRTIO_PCI_NOTIFY_CAP_MULT);
	vp->vp_isr = vp_map_cap(vsc, dv, caps[VIRTIO_PCI_CAP_ISR_CFG], &len);
	if (vp->vp_notify == NULL || vp->vp_isr == NULL)
		return -ENXIO;
	if (caps[VIRTIO_PCI_CAP_DEVICE_CFG] != 0) {
		vp->vp_devcfg = vp_map_cap(vsc, dv,
		    caps[VIRTIO_PCI_CAP_DEVICE_CFG], &vp->vp_devcfg_len);
		if (vp->vp_devcfg == NULL)
			return -ENXIO;
	}
	pci_enable_busmaster(dv);
	return 0;
}
