/*
 * Hardware interrupts (sys/intr.h): which controller is in charge, which
 * vector each interrupt source gets, and what runs when it fires.
 *
 * The vector map:
 *
 *	  0- 31	CPU exceptions (trap.c)
 *	 32- 47	the 8259's IRQs 0-15 when it is the controller; reserved
 *		otherwise, so a stray 8259 interrupt cannot look like an
 *		exception or a device
 *	 48-254	allocated on demand: IOAPIC inputs, the local APIC timer
 *		and error interrupts, MSI and MSI-X vectors
 *	    255	the local APIC's spurious vector
 *
 * With ACPI's MADT naming a local APIC and at least one IOAPIC, the APICs
 * are used and the 8259 pair is masked; otherwise the 8259 is.  An ISA
 * IRQ is not always the IOAPIC input of the same number: the MADT's
 * interrupt source overrides say where it is wired (QEMU puts the PIT's
 * IRQ 0 on GSI 2) and whether it is edge or level, active high or low.
 *
 * trap() calls intr_dispatch(vector) for every vector from 32 up, with
 * interrupts off.  intr_dispatch counts it, calls the handlers and sends
 * the end-of-interrupt to the controller that raised it.
 *
 * Locking: intr_lock, a spin lock, protects the vector table and the
 * controllers' routing registers.  It is taken with interrupts off in
 * intr_dispatch too, which cannot deadlock: holding a spin lock keeps
 * interrupts off on this CPU.  It is a leaf lock: nothing else is taken
 * while it is held, and handlers are called without it.
 */
#include <sys/acpi.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/lock.h>
#include <sys/systm.h>

#include <machine/apicreg.h>
#include <machine/apicvar.h>
#include <machine/cpufunc.h>

#include <dev/acpi/acpireg.h>

#define NVECTORS		256
#define INTR_MAX_SHARED		4	/* handlers on one level line */
#define ISA_NIRQS		16
#define ISA_CASCADE_IRQ		2

/* An MSI message to the local APIC (Intel SDM vol. 3, 11.11). */
#define MSI_ADDR_BASE		0xfee00000ULL
#define MSI_ADDR_DEST_SHIFT	12	/* bits 19-12: destination APIC id */
#define MSI_DATA_DELIVERY_FIXED	(0U << 8)	/* bits 10-8 */
#define MSI_DATA_TRIGGER_EDGE	(0U << 15)

enum intr_mode {
	INTR_MODE_NONE,			/* before intr_init() */
	INTR_MODE_PIC,			/* the 8259 pair */
	INTR_MODE_APIC,			/* local APIC + IOAPICs */
};

enum intr_kind {
	IV_FREE = 0,			/* may be allocated */
	IV_RESERVED,			/* exceptions, 8259 range, spurious */
	IV_PIC,				/* an 8259 IRQ (iv_source) */
	IV_IOAPIC,			/* an IOAPIC input (iv_source: GSI) */
	IV_DIRECT,			/* sent straight to the local APIC */
};

struct intr_handler {
	intr_handler_t	*ih_fn;
	void		*ih_arg;
	const char	*ih_name;
};

/*
 * One per vector.
 * Locks protecting members of this struct:
 *	i	intr_lock
 *	c	only incremented in intr_dispatch() under intr_lock; read
 *		without it (an aligned 64-bit load)
 */
struct intr_vec {
	enum intr_kind	iv_kind;	/* [i] */
	uint32_t	iv_source;	/* [i] IRQ or GSI */
	bool		iv_level;	/* [i] level-triggered */
	bool		iv_low;		/* [i] active low */
	bool		iv_warned;	/* [i] "no handler" was logged */
	int		iv_irq;		/* [i] Linux's IRQ number: the ISA
					   IRQ or the GSI */
	int		iv_nhandlers;	/* [i] */
	struct intr_handler iv_handlers[INTR_MAX_SHARED]; /* [i] */
	uint64_t	iv_count;	/* [c] */
};

static struct spinlock intr_lock = SPINLOCK_INIT("intr_lock");
static struct intr_vec intr_vecs[NVECTORS];	/* [i] */
static enum intr_mode intr_mode;		/* [B] set by intr_init() */
static uint32_t intr_dest_apic;			/* [B] the boot CPU's id */
static uint64_t intr_spurious_8259;		/* [i] */

static const char *
intr_trigger_name(bool level, bool low)
{
	if (level)
		return low ? "level, low" : "level, high";
	return low ? "edge, low" : "edge, high";
}

static void
intr_reserve(int first, int last)
{
	int v;

	for (v = first; v <= last; v++)
		intr_vecs[v].iv_kind = IV_RESERVED;
}

/* Route ISA IRQs through the 8259 pair. */
static void
intr_init_pic(const char *why)
{
	int irq;

	i8259_init(IDT_IRQ_BASE);
	for (irq = 0; irq < ISA_NIRQS; irq++) {
		intr_vecs[IDT_IRQ_BASE + irq].iv_kind = IV_PIC;
		intr_vecs[IDT_IRQ_BASE + irq].iv_source = irq;
	}
	intr_mode = INTR_MODE_PIC;
	klog("intr", "8259 PIC pair on vectors %d-%d (%s)", IDT_IRQ_BASE,
	    IDT_IRQ_BASE + ISA_NIRQS - 1, why);
}

/*
 * Choose and program the interrupt controllers: the local APIC and
 * IOAPICs when the MADT lists them (the 8259 pair, if any, is moved to
 * vectors 32-47 and masked), else the 8259 pair.  Every input starts
 * masked; drivers unmask theirs with intr_establish_*().  Called once
 * during boot, after acpi_init(), with interrupts off.  Returns 0 (there
 * is always at least the 8259 to fall back on).
 */
int
intr_init(void)
{
	const char *why;
	int error;

	intr_reserve(0, IDT_ALLOC_FIRST - 1);
	intr_reserve(LAPIC_SPURIOUS_VECTOR, LAPIC_SPURIOUS_VECTOR);

	if (!acpi_info.ai_present)
		why = "no ACPI tables";
	else if (acpi_info.ai_lapic_addr == 0)
		why = "no MADT";
	else if (acpi_info.ai_nioapics == 0)
		why = "the MADT lists no IOAPIC";
	else if (!lapic_present())
		why = "the CPU has no local APIC";
	else
		why = NULL;
	if (why != NULL) {
		intr_init_pic(why);
		return 0;
	}

	/* The 8259s raise a spurious IRQ 7 even masked: keep it off 0-31. */
	if (acpi_info.ai_has_8259)
		i8259_init(IDT_IRQ_BASE);
	if ((error = lapic_init(acpi_info.ai_lapic_addr)) < 0) {
		intr_init_pic("the local APIC could not be set up");
		return 0;
	}
	if ((error = ioapic_init()) < 0) {
		lapic_virtual_wire();
		intr_init_pic("no IOAPIC could be set up");
		return 0;
	}
	intr_dest_apic = lapic_id();
	intr_mode = INTR_MODE_APIC;
	if ((error = lapic_enable_error_intr()) < 0)
		klog("intr", "no vector for the APIC error interrupt (%d)",
		    error);
	klog("intr", "local APIC and %d IOAPIC%s; 8259 %s; spurious vector "
	    "%d", ioapic_count(), ioapic_count() == 1 ? "" : "s",
	    acpi_info.ai_has_8259 ? "masked" : "absent",
	    LAPIC_SPURIOUS_VECTOR);
	return 0;
}

/* Whether intr_init() chose the APICs (else the 8259, or nothing yet). */
bool
intr_apic_mode(void)
{
	return intr_mode == INTR_MODE_APIC;
}

/* A free vector in the allocatable range, or -ENOSPC.  Holds intr_lock. */
static int
intr_find_free(void)
{
	int v;

	KASSERT(spin_held(&intr_lock), "intr_lock");
	for (v = IDT_ALLOC_FIRST; v <= IDT_ALLOC_LAST; v++) {
		if (intr_vecs[v].iv_kind == IV_FREE)
			return v;
	}
	return -ENOSPC;
}

/*
 * Add fn to iv, which already serves the same line: only level-triggered
 * lines with the same polarity can be shared (two edges can merge into
 * one, and a device would never be served).  Holds intr_lock; the caller
 * logs a refusal (*ownerp names the line's first handler) after dropping
 * it, keeping intr_lock a leaf lock.
 */
static int
intr_share(struct intr_vec *iv, bool level, bool low, intr_handler_t *fn,
    void *arg, const char *name, const char **ownerp)
{
	struct intr_handler *ih;

	KASSERT(spin_held(&intr_lock), "intr_lock");
	*ownerp = iv->iv_handlers[0].ih_name;
	if (!level || !iv->iv_level || iv->iv_low != low ||
	    iv->iv_nhandlers == INTR_MAX_SHARED)
		return -EBUSY;
	ih = &iv->iv_handlers[iv->iv_nhandlers++];
	ih->ih_fn = fn;
	ih->ih_arg = arg;
	ih->ih_name = name;
	return 0;
}

/* Log why intr_share() refused. */
static void
intr_share_refused(const char *name, const char *owner)
{
	klog("intr", "%s: the line is %s's and cannot be shared (both must "
	    "be level-triggered, same polarity, at most %d)", name, owner,
	    INTR_MAX_SHARED);
}

static void
intr_set_handler(struct intr_vec *iv, intr_handler_t *fn, void *arg,
    const char *name)
{
	iv->iv_handlers[0].ih_fn = fn;
	iv->iv_handlers[0].ih_arg = arg;
	iv->iv_handlers[0].ih_name = name;
	iv->iv_nhandlers = 1;
	iv->iv_warned = false;
}

/* intr_establish_gsi() through the 8259: GSI n is IRQ n. */
static int
intr_establish_pic(uint32_t gsi, bool level, bool low, intr_handler_t *fn,
    void *arg, const char *name)
{
	struct intr_vec *iv;
	const char *owner;
	int vector, error;

	if (gsi >= ISA_NIRQS || gsi == ISA_CASCADE_IRQ) {
		klog("intr", "%s: IRQ %u does not exist on the 8259", name,
		    gsi);
		return -EINVAL;
	}
	/* The 8259 (with the ELCR) knows edge/high and level/low only. */
	if (level != low) {
		klog("intr", "%s: IRQ %u %s is not possible on the 8259", name,
		    gsi, intr_trigger_name(level, low));
		return -EINVAL;
	}
	vector = IDT_IRQ_BASE + (int)gsi;
	iv = &intr_vecs[vector];
	spin_lock(&intr_lock);
	if (iv->iv_nhandlers > 0) {
		error = intr_share(iv, level, low, fn, arg, name, &owner);
		spin_unlock(&intr_lock);
		if (error < 0) {
			intr_share_refused(name, owner);
			return error;
		}
		return vector;
	}
	intr_set_handler(iv, fn, arg, name);
	iv->iv_level = level;
	iv->iv_low = low;
	i8259_set_level((int)gsi, level);
	i8259_unmask((int)gsi);
	spin_unlock(&intr_lock);
	return vector;
}

/* intr_establish_gsi() through an IOAPIC. */
static int
intr_establish_ioapic(uint32_t gsi, bool level, bool low, intr_handler_t *fn,
    void *arg, const char *name)
{
	struct intr_vec *iv;
	const char *owner;
	int v, vector, error;

	spin_lock(&intr_lock);
	for (v = IDT_ALLOC_FIRST; v <= IDT_ALLOC_LAST; v++) {
		iv = &intr_vecs[v];
		if (iv->iv_kind == IV_IOAPIC && iv->iv_source == gsi) {
			error = intr_share(iv, level, low, fn, arg, name,
			    &owner);
			spin_unlock(&intr_lock);
			if (error < 0) {
				intr_share_refused(name, owner);
				return error;
			}
			return v;
		}
	}
	if ((vector = intr_find_free()) < 0) {
		spin_unlock(&intr_lock);
		klog("intr", "%s: no free vector", name);
		return vector;
	}
	iv = &intr_vecs[vector];
	iv->iv_kind = IV_IOAPIC;
	iv->iv_source = gsi;
	iv->iv_level = level;
	iv->iv_low = low;
	intr_set_handler(iv, fn, arg, name);
	if ((error = ioapic_route(gsi, vector, level, low,
	    intr_dest_apic)) < 0) {
		memset(iv, 0, sizeof(*iv));
		spin_unlock(&intr_lock);
		klog("intr", "%s: no IOAPIC has GSI %u", name, gsi);
		return error;
	}
	spin_unlock(&intr_lock);
	return vector;
}

static int
intr_establish(uint32_t gsi, bool level, bool low, intr_handler_t *fn,
    void *arg, const char *name)
{
	if (fn == NULL)
		return -EINVAL;
	switch (intr_mode) {
	case INTR_MODE_APIC:
		return intr_establish_ioapic(gsi, level, low, fn, arg, name);
	case INTR_MODE_PIC:
		return intr_establish_pic(gsi, level, low, fn, arg, name);
	default:
		klog("intr", "%s: interrupts are not set up yet", name);
		return -EAGAIN;
	}
}

/*
 * Route global system interrupt gsi (an IOAPIC input; with the 8259, the
 * IRQ of that number) to fn(arg) with the given trigger (INTR_EDGE or
 * INTR_LEVEL) and polarity (INTR_HIGH or INTR_LOW), and unmask it.  A
 * level-triggered line may be shared by up to 4 handlers.  Takes
 * intr_lock.  Returns the vector, or -EINVAL (bad arguments, no such
 * input), -EBUSY (taken and not shareable), -ENOSPC (no vector left).
 */
int
intr_establish_gsi(uint32_t gsi, int trigger, int polarity,
    intr_handler_t *fn, void *arg, const char *name)
{
	int vector;

	if ((trigger != INTR_EDGE && trigger != INTR_LEVEL) ||
	    (polarity != INTR_HIGH && polarity != INTR_LOW))
		return -EINVAL;
	vector = intr_establish(gsi, trigger == INTR_LEVEL,
	    polarity == INTR_LOW, fn, arg, name);
	if (vector >= 0) {
		spin_lock(&intr_lock);
		if (intr_vecs[vector].iv_nhandlers == 1)
			intr_vecs[vector].iv_irq = (int)gsi;
		spin_unlock(&intr_lock);
	}
	if (vector >= 0)
		klog("intr", "GSI %u (%s) -> vector %d: %s", gsi,
		    intr_trigger_name(trigger == INTR_LEVEL,
		    polarity == INTR_LOW), vector, name);
	return vector;
}

/*
 * Route ISA IRQ irq to fn(arg) and unmask it.  With the APICs, the MADT's
 * interrupt source override for irq, if there is one, gives the GSI and
 * the polarity and trigger; otherwise the IRQ is GSI irq, edge-triggered,
 * active high, as ISA is (ACPI 6.4, 5.2.12.5).  Takes intr_lock.  Returns
 * the vector or -errno as intr_establish_gsi() does.
 */
int
intr_establish_isa(int irq, intr_handler_t *fn, void *arg, const char *name)
{
	const struct acpi_override *ao;
	uint32_t gsi = (uint32_t)irq;
	bool level = false, low = false;
	int i, vector;

	if (irq < 0 || irq >= ISA_NIRQS || irq == ISA_CASCADE_IRQ) {
		klog("intr", "%s: ISA IRQ %d does not exist", name, irq);
		return -EINVAL;
	}
	for (i = 0; intr_mode == INTR_MODE_APIC &&
	    i < acpi_info.ai_noverrides; i++) {
		ao = &acpi_info.ai_overrides[i];
		if (ao->ao_isa_irq != irq)
			continue;
		gsi = ao->ao_gsi;
		low = (ao->ao_flags & ACPI_INTI_POLARITY_MASK) ==
		    ACPI_INTI_POLARITY_LOW;
		level = (ao->ao_flags & ACPI_INTI_TRIGGER_MASK) ==
		    ACPI_INTI_TRIGGER_LEVEL;
		break;
	}
	vector = intr_establish(gsi, level, low, fn, arg, name);
	if (vector >= 0) {
		spin_lock(&intr_lock);
		intr_vecs[vector].iv_irq = irq;
		spin_unlock(&intr_lock);
	}
	if (vector >= 0)
		klog("intr", "ISA IRQ %d -> %s %u (%s) -> vector %d: %s", irq,
		    intr_mode == INTR_MODE_APIC ? "GSI" : "8259 IRQ", gsi,
		    intr_trigger_name(level, low), vector, name);
	return vector;
}

/*
 * Allocate a vector for an interrupt delivered straight to the local APIC
 * (its timer, MSI) and install fn(arg) on it.  Takes intr_lock.  Returns
 * the vector, or -ENOSPC when none is free.
 */
int
intr_alloc_vector(intr_handler_t *fn, void *arg, const char *name)
{
	int vector;

	if (fn == NULL)
		return -EINVAL;
	spin_lock(&intr_lock);
	if ((vector = intr_find_free()) >= 0) {
		intr_vecs[vector].iv_kind = IV_DIRECT;
		intr_set_handler(&intr_vecs[vector], fn, arg, name);
	}
	spin_unlock(&intr_lock);
	if (vector < 0)
		klog("intr", "%s: no free vector", name);
	return vector;
}

/*
 * Give back a vector from intr_alloc_vector() (a driver whose setup failed
 * after allocating it).  The source must no longer be able to send it.
 * Takes intr_lock.  Returns 0, or -EINVAL for a vector not allocated so.
 */
int
intr_free_vector(int vector)
{
	struct intr_vec *iv;

	if (vector < IDT_ALLOC_FIRST || vector > IDT_ALLOC_LAST)
		return -EINVAL;
	iv = &intr_vecs[vector];
	spin_lock(&intr_lock);
	if (iv->iv_kind != IV_DIRECT) {
		spin_unlock(&intr_lock);
		return -EINVAL;
	}
	memset(iv, 0, sizeof(*iv));
	iv->iv_kind = IV_FREE;
	spin_unlock(&intr_lock);
	return 0;
}

/*
 * The message an MSI or MSI-X source writes to raise vector, a vector
 * from intr_alloc_vector(), on this CPU's local APIC (Intel SDM vol. 3,
 * 11.11.1 and 11.11.2): the address 0xfee00000 with the destination APIC
 * id in bits 19-12, physical destination mode, no redirection hint; the
 * data holds the vector with fixed delivery, edge-triggered.  Takes
 * intr_lock.  Returns 0; -ENODEV without the APICs (the 8259 cannot
 * receive messages); -EINVAL for a vector not allocated direct, or an
 * APIC id above 255, which only interrupt remapping can reach.
 */
int
intr_msi_message(int vector, uint64_t *addrp, uint32_t *datap)
{
	uint32_t id;
	bool direct;

	if (intr_mode != INTR_MODE_APIC)
		return -ENODEV;
	if (vector < IDT_ALLOC_FIRST || vector > IDT_ALLOC_LAST)
		return -EINVAL;
	spin_lock(&intr_lock);
	direct = intr_vecs[vector].iv_kind == IV_DIRECT;
	spin_unlock(&intr_lock);
	if (!direct)
		return -EINVAL;
	if ((id = lapic_id()) > 0xff) {
		klog("intr", "APIC id %u cannot be an MSI destination", id);
		return -EINVAL;
	}
	*addrp = MSI_ADDR_BASE | ((uint64_t)id << MSI_ADDR_DEST_SHIFT);
	*datap = MSI_DATA_DELIVERY_FIXED | MSI_DATA_TRIGGER_EDGE |
	    (uint32_t)vector;
	return 0;
}

/*
 * Signal end of interrupt for vector to the controller that raised it: the
 * 8259 for its IRQs in PIC mode, the local APIC for everything in APIC
 * mode except its spurious vector, which must not be acknowledged (Intel
 * SDM 11.9).  Interrupt context; takes no lock.
 */
void
intr_eoi(int vector)
{
	if (vector < IDT_IRQ_BASE || vector >= NVECTORS)
		return;
	if (intr_mode == INTR_MODE_APIC) {
		if (vector != LAPIC_SPURIOUS_VECTOR)
			lapic_eoi();
	} else if (intr_mode == INTR_MODE_PIC &&
	    vector < IDT_IRQ_BASE + ISA_NIRQS) {
		i8259_eoi(vector - IDT_IRQ_BASE);
	}
}

/*
 * A spurious 8259 IRQ 7 or 15 (see i8259_is_spurious): count it, log the
 * first, and acknowledge only what was real.  Returns true if it was one.
 */
static bool
intr_pic_spurious(int vector)
{
	int irq = vector - IDT_IRQ_BASE;
	uint64_t n;

	if (intr_mode != INTR_MODE_PIC || irq < 0 || irq >= ISA_NIRQS ||
	    !i8259_is_spurious(irq))
		return false;
	if (irq >= 8)
		i8259_eoi(ISA_CASCADE_IRQ);	/* the master's part was real */
	spin_lock(&intr_lock);
	n = intr_spurious_8259++;
	spin_unlock(&intr_lock);
	if (n == 0)
		klog("intr", "spurious 8259 IRQ %d (logged once)", irq);
	return true;
}

/*
 * Handle one interrupt: called by trap() for every vector from 32 up, with
 * interrupts off.  Counts it, calls its handlers (without intr_lock held)
 * and sends the EOI.  A vector with no handler is logged the first time.
 */
void
intr_dispatch(int vector)
{
	struct intr_handler hs[INTR_MAX_SHARED];
	struct intr_vec *iv;
	bool warn = false;
	int i, n;

	if (vector < IDT_IRQ_BASE || vector >= NVECTORS) {
		klog("intr", "dispatch of vector %d ignored", vector);
		return;
	}
	if (intr_pic_spurious(vector))
		return;
	iv = &intr_vecs[vector];
	spin_lock(&intr_lock);
	iv->iv_count++;
	n = iv->iv_nhandlers;
	memcpy(hs, iv->iv_handlers, sizeof(hs[0]) * n);
	if (n == 0 && !iv->iv_warned &&
	    !(intr_mode == INTR_MODE_APIC && vector == LAPIC_SPURIOUS_VECTOR))
		warn = iv->iv_warned = true;
	spin_unlock(&intr_lock);

	for (i = 0; i < n; i++)
		hs[i].ih_fn(hs[i].ih_arg);
	if (warn)
		klog("intr", "vector %d has no handler (logged once)", vector);
	intr_eoi(vector);
}

/*
 * How many times vector has fired since boot (spurious 8259 interrupts
 * are not counted).  Reads without the lock.
 */
uint64_t
intr_count(int vector)
{
	if (vector < 0 || vector >= NVECTORS)
		return 0;
	return __atomic_load_n(&intr_vecs[vector].iv_count, __ATOMIC_RELAXED);
}

/*
 * What /proc/interrupts shows of vector: its kind, Linux's IRQ number,
 * the controller and its input, the trigger, the handlers' names
 * (joined by ", ") and the count.  Takes intr_lock.  Returns 0, or
 * -ENOENT when no handler is on the vector.
 */
int
intr_info(int vector, struct intr_info *ii)
{
	struct intr_vec *iv;
	size_t len;
	int i;

	if (vector < IDT_IRQ_BASE || vector >= NVECTORS)
		return -ENOENT;
	iv = &intr_vecs[vector];
	memset(ii, 0, sizeof(*ii));
	spin_lock(&intr_lock);
	if (iv->iv_nhandlers == 0) {
		spin_unlock(&intr_lock);
		return -ENOENT;
	}
	ii->ii_vector = vector;
	ii->ii_direct = iv->iv_kind == IV_DIRECT;
	ii->ii_irq = ii->ii_direct ? -1 : iv->iv_irq;
	ii->ii_chip = iv->iv_kind == IV_PIC ? "XT-PIC" :
	    iv->iv_kind == IV_IOAPIC ? "IO-APIC" : "LAPIC";
	ii->ii_hwirq = iv->iv_source;
	ii->ii_level = iv->iv_level;
	ii->ii_count = iv->iv_count;
	for (i = 0; i < iv->iv_nhandlers; i++) {
		len = strlen(ii->ii_names);
		ksnprintf(ii->ii_names + len, sizeof(ii->ii_names) - len,
		    "%s%s", i > 0 ? ", " : "", iv->iv_handlers[i].ih_name);
	}
	spin_unlock(&intr_lock);
	return 0;
}

/*
 * Spurious interrupts since boot: the 8259's (IRQ 7 or 15 with no
 * request) and the local APIC's spurious vector.  Takes intr_lock.
 */
uint64_t
intr_spurious(void)
{
	uint64_t n;

	spin_lock(&intr_lock);
	n = intr_spurious_8259;
	if (intr_mode == INTR_MODE_APIC)
		n += intr_vecs[LAPIC_SPURIOUS_VECTOR].iv_count;
	spin_unlock(&intr_lock);
	return n;
}
