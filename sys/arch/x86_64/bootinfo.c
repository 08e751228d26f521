/*
 * From the boot loader's hand-off to struct bootinfo.
 *
 * locore.S calls machdep_boot(magic, info) in 64-bit mode with the boot
 * page tables, which map the first 4 GiB at DMAP_BASE; both loaders put
 * their structures below 4 GiB.  We copy what we need into `bootinfo`
 * (the loader's memory may be reused once the page allocator runs) and
 * then call kmain().
 *
 * Multiboot2: Multiboot2 specification 2.0, 3.6 "Boot information format".
 * PVH: Xen's x86/HVM direct boot ABI, struct hvm_start_info (version 1).
 */
#include <sys/bootinfo.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289
#define PVH_START_MAGIC		0x336ec578

/* Multiboot2 information tags. */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER		2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_EFI32		11
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_FB_TYPE_RGB		1
#define MB2_FB_TYPE_EGA_TEXT	2

struct mb2_tag {
	uint32_t	type;
	uint32_t	size;
} __packed;

struct mb2_tag_module {
	uint32_t	type;
	uint32_t	size;
	uint32_t	mod_start;
	uint32_t	mod_end;
	char		cmdline[];
} __packed;

struct mb2_tag_mmap {
	uint32_t	type;
	uint32_t	size;
	uint32_t	entry_size;
	uint32_t	entry_version;
} __packed;

struct mb2_mmap_entry {
	uint64_t	addr;
	uint64_t	len;
	uint32_t	type;
	uint32_t	reserved;
} __packed;

struct mb2_tag_framebuffer {
	uint32_t	type;
	uint32_t	size;
	uint64_t	addr;
	uint32_t	pitch;
	uint32_t	width;
	uint32_t	height;
	uint8_t		bpp;
	uint8_t		fb_type;
	uint16_t	reserved;
	uint8_t		red_pos, red_size;
	uint8_t		green_pos, green_size;
	uint8_t		blue_pos, blue_size;
} __packed;

_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mb2 mmap entry");
_Static_assert(__builtin_offsetof(struct mb2_tag_framebuffer, red_pos) == 32,
    "mb2 framebuffer colour info");

/* Xen public/arch-x86/hvm/start_info.h, version 1. */
struct hvm_start_info {
	uint32_t	magic;
	uint32_t	version;
	uint32_t	flags;
	uint32_t	nr_modules;
	uint64_t	modlist_paddr;
	uint64_t	cmdline_paddr;
	uint64_t	rsdp_paddr;
	uint64_t	memmap_paddr;
	uint32_t	memmap_entries;
	uint32_t	reserved;
} __packed;

struct hvm_modlist_entry {
	uint64_t	paddr;
	uint64_t	size;
	uint64_t	cmdline_paddr;
	uint64_t	reserved;
} __packed;

struct hvm_memmap_entry {
	uint64_t	addr;
	uint64_t	size;
	uint32_t	type;
	uint32_t	reserved;
} __packed;

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "hvm_memmap_entry");

_Static_assert(sizeof(struct mb2_tag_module) == 16, "mb2 module tag");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mb2 mmap tag");

/* The boot page tables map the first 4 GiB of physical memory only. */
#define BOOT_MAPPED_END		(1ULL << 32)

struct bootinfo bootinfo;

/* Set by locore.S before paging; read through the direct map. */
extern uint64_t boot_entry_tsc;
extern char _kernel_phys_start[], _end[];

void	kmain(void) __noreturn;
void	machdep_boot(uint32_t magic, uint32_t info) __noreturn;

/*
 * What bootinfo_report() prints once the console is up: why we could not
 * use the loader's hand-off, and how many memory ranges and modules did not
 * fit in struct bootinfo.
 */
static const char *bootinfo_error;
static uint32_t bootinfo_mem_dropped;
static uint32_t bootinfo_mods_dropped;

/* Do len bytes at physical address pa lie inside the boot mapping? */
static bool
bootinfo_mapped(uint64_t pa, uint64_t len)
{
	return pa < BOOT_MAPPED_END && len <= BOOT_MAPPED_END - pa;
}

/*
 * Copy a string from loader memory into dst (dstsize > 0), always
 * terminated, reading at most max bytes of src: the loader's string need
 * not end within its tag.  Reads nothing past src[max - 1].
 */
static void
bootinfo_strcpy(char *dst, size_t dstsize, const char *src, size_t max)
{
	size_t n = strnlen(src, MIN(max, dstsize - 1));

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
bootinfo_add_mem(uint64_t base, uint64_t len, uint32_t type)
{
	struct bootmem *bm;

	if (len == 0)
		return;
	if (bootinfo.bi_nmem >= BOOTINFO_MAXMEM) {
		bootinfo_mem_dropped++;
		return;
	}
	bm = &bootinfo.bi_mem[bootinfo.bi_nmem++];
	bm->bm_base = base;
	bm->bm_len = len;
	/* Unknown E820 types are treated as reserved, as Linux does. */
	bm->bm_type = (type >= BOOTMEM_AVAILABLE && type <= BOOTMEM_BAD) ?
	    type : BOOTMEM_RESERVED;
}

/* A module; its name is read from loader memory, at most namemax bytes. */
static void
bootinfo_add_mod(paddr_t start, paddr_t end, const char *name,
    size_t namemax)
{
	struct bootmod *bmod;

	if (end <= start)
		return;
	if (bootinfo.bi_nmods >= BOOTINFO_MAXMODS) {
		bootinfo_mods_dropped++;
		return;
	}
	bmod = &bootinfo.bi_mods[bootinfo.bi_nmods++];
	bmod->bmod_start = start;
	bmod->bmod_end = end;
	if (name != NULL)
		bootinfo_strcpy(bmod->bmod_name, sizeof(bmod->bmod_name), name,
		    namemax);
	else
		bmod->bmod_name[0] = '\0';
}

/*
 * Multiboot2 tags (spec 3.6).  bootinfo_from_mb2() has checked that each
 * tag's size is at least 8 and that the whole tag lies inside the
 * information structure; each function checks the size its own fields
 * need.
 */

/* 3.6.2 "Boot command line": a string, terminated within the tag. */
static void
bootinfo_mb2_cmdline(const struct mb2_tag *tag)
{
	bootinfo_strcpy(bootinfo.bi_cmdline, sizeof(bootinfo.bi_cmdline),
	    (const char *)(tag + 1), tag->size - sizeof(*tag));
}

/* 3.6.3 "Boot loader name". */
static void
bootinfo_mb2_loader(const struct mb2_tag *tag)
{
	/* Static storage: bootinfo outlives the loader. */
	static char loader[64];

	bootinfo_strcpy(loader, sizeof(loader), (const char *)(tag + 1),
	    tag->size - sizeof(*tag));
	bootinfo.bi_loader = loader;
}

/* 3.6.6 "Modules": start, end, then the module's command line. */
static void
bootinfo_mb2_module(const struct mb2_tag *tag)
{
	const struct mb2_tag_module *m = (const void *)tag;

	if (tag->size < sizeof(*m))
		return;
	bootinfo_add_mod(m->mod_start, m->mod_end, m->cmdline,
	    tag->size - sizeof(*m));
}

/* 3.6.8 "Memory map": entries of entry_size bytes after a 16-byte head. */
static void
bootinfo_mb2_mmap(const struct mb2_tag *tag)
{
	const struct mb2_tag_mmap *mm = (const void *)tag;
	const struct mb2_mmap_entry *e;
	uint32_t eoff;

	if (tag->size < sizeof(*mm) ||
	    mm->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (eoff = sizeof(*mm); tag->size - eoff >= mm->entry_size;
	    eoff += mm->entry_size) {
		e = (const void *)((const uint8_t *)mm + eoff);
		bootinfo_add_mem(e->addr, e->len, e->type);
	}
}

/* 3.6.12 "Framebuffer info". */
static void
bootinfo_mb2_framebuffer(const struct mb2_tag *tag)
{
	const struct mb2_tag_framebuffer *t = (const void *)tag;
	struct bootfb *fb = &bootinfo.bi_fb;

	if (t->size < 32)
		return;
	fb->fb_addr = t->addr;
	fb->fb_pitch = t->pitch;
	fb->fb_width = t->width;
	fb->fb_height = t->height;
	fb->fb_bpp = t->bpp;
	if (t->fb_type == MB2_FB_TYPE_EGA_TEXT) {
		fb->fb_type = BOOTFB_VGATEXT;
	} else if (t->fb_type == MB2_FB_TYPE_RGB && t->size >= 38 &&
	    (t->bpp == 32 || t->bpp == 24 || t->bpp == 16)) {
		fb->fb_type = BOOTFB_RGB;
		fb->fb_red_pos = t->red_pos;
		fb->fb_red_size = t->red_size;
		fb->fb_green_pos = t->green_pos;
		fb->fb_green_size = t->green_size;
		fb->fb_blue_pos = t->blue_pos;
		fb->fb_blue_size = t->blue_size;
	}
	/* An indexed-colour framebuffer is not supported: serial only. */
}

/* 3.6.15 and 3.6.16: a copy of the ACPI 1.0 or 2.0 RSDP. */
static void
bootinfo_mb2_acpi(const struct mb2_tag *tag)
{
	uint32_t len = MIN(tag->size - sizeof(*tag),
	    sizeof(bootinfo.bi_rsdp_copy));

	/* Prefer the ACPI 2.0 copy when both are given. */
	if (bootinfo.bi_rsdp_copy_len != 0 && tag->type == MB2_TAG_ACPI_OLD)
		return;
	memcpy(bootinfo.bi_rsdp_copy, tag + 1, len);
	bootinfo.bi_rsdp_copy_len = len;
}

static void
bootinfo_mb2_tag(const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		bootinfo_mb2_cmdline(tag);
		break;
	case MB2_TAG_LOADER:
		bootinfo_mb2_loader(tag);
		break;
	case MB2_TAG_MODULE:
		bootinfo_mb2_module(tag);
		break;
	case MB2_TAG_MMAP:
		bootinfo_mb2_mmap(tag);
		break;
	case MB2_TAG_FRAMEBUFFER:
		bootinfo_mb2_framebuffer(tag);
		break;
	case MB2_TAG_EFI32:	/* 3.6.9, 3.6.10: the EFI system table */
	case MB2_TAG_EFI64:
		bootinfo.bi_efi = true;
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		bootinfo_mb2_acpi(tag);
		break;
	default:
		break;
	}
}

/*
 * 3.6.1: the information starts with its total size and a reserved word,
 * then tags, each 8-byte aligned, up to an end tag.  Every subtraction
 * below has its smaller side checked first, so no sum can wrap.
 */
static void
bootinfo_from_mb2(paddr_t info)
{
	const uint8_t *base = PHYS_TO_DMAP(info);
	const struct mb2_tag *tag;
	uint32_t total, off;
	uint64_t step;

	bootinfo.bi_protocol = BOOT_MULTIBOOT2;
	bootinfo.bi_loader = "multiboot2";
	total = *(const uint32_t *)base;
	if (total < 8 || !bootinfo_mapped(info, total)) {
		bootinfo_error = "multiboot2 information has a bad total size";
		return;
	}
	for (off = 8; total - off >= sizeof(struct mb2_tag); off += step) {
		tag = (const void *)(base + off);
		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) ||
		    tag->size > total - off)
			break;
		bootinfo_mb2_tag(tag);
		step = roundup2((uint64_t)tag->size, 8);
		if (step > total - off)
			break;
	}
}

/*
 * A string in loader memory whose length nobody states (PVH): the bytes
 * that may be read at pa, at most max; 0 when pa is not mapped.
 */
static size_t
bootinfo_pvh_strmax(uint64_t pa, size_t max)
{
	if (pa == 0 || !bootinfo_mapped(pa, 1))
		return 0;
	return MIN(max, BOOT_MAPPED_END - pa);
}

static void
bootinfo_pvh_cmdline(const struct hvm_start_info *si)
{
	size_t max = bootinfo_pvh_strmax(si->cmdline_paddr,
	    sizeof(bootinfo.bi_cmdline));

	if (max != 0)
		bootinfo_strcpy(bootinfo.bi_cmdline,
		    sizeof(bootinfo.bi_cmdline),
		    PHYS_TO_DMAP(si->cmdline_paddr), max);
}

static void
bootinfo_pvh_modules(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *list, *m;
	size_t namemax;
	uint32_t i, n;

	if (si->nr_modules == 0 || si->modlist_paddr == 0)
		return;
	n = MIN(si->nr_modules, BOOTINFO_MAXMODS);
	if (!bootinfo_mapped(si->modlist_paddr, n * sizeof(*m))) {
		bootinfo_error = "PVH module list lies above 4 GiB";
		return;
	}
	list = PHYS_TO_DMAP(si->modlist_paddr);
	for (i = 0; i < n; i++) {
		m = &list[i];
		namemax = bootinfo_pvh_strmax(m->cmdline_paddr,
		    sizeof(bootinfo.bi_mods[0].bmod_name));
		bootinfo_add_mod(m->paddr, m->paddr + m->size,
		    namemax != 0 ? PHYS_TO_DMAP(m->cmdline_paddr) : NULL,
		    namemax);
	}
	bootinfo_mods_dropped += si->nr_modules - n;
}

static void
bootinfo_pvh_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *map;
	uint32_t i, n;

	if (si->version < 1 || si->memmap_paddr == 0) {
		bootinfo_error = "PVH start_info has no memory map "
		    "(version 0)";
		return;
	}
	n = MIN(si->memmap_entries, BOOTINFO_MAXMEM);
	if (!bootinfo_mapped(si->memmap_paddr, n * sizeof(*map))) {
		bootinfo_error = "PVH memory map lies above 4 GiB";
		return;
	}
	map = PHYS_TO_DMAP(si->memmap_paddr);
	for (i = 0; i < n; i++)
		bootinfo_add_mem(map[i].addr, map[i].size, map[i].type);
	bootinfo_mem_dropped += si->memmap_entries - n;
}

static void
bootinfo_from_pvh(paddr_t info)
{
	const struct hvm_start_info *si = PHYS_TO_DMAP(info);

	bootinfo.bi_protocol = BOOT_PVH;
	bootinfo.bi_loader = "PVH";
	bootinfo.bi_rsdp = si->rsdp_paddr;
	bootinfo_pvh_cmdline(si);
	bootinfo_pvh_modules(si);
	bootinfo_pvh_memmap(si);
}

/*
 * Called by locore.S with the loader's magic number and the physical
 * address of its information.  Fills in bootinfo and starts the kernel.
 */
void
machdep_boot(uint32_t magic, uint32_t info)
{
	bootinfo.bi_entry_tsc = *(uint64_t *)PHYS_TO_DMAP(&boot_entry_tsc);
	bootinfo.bi_kernel_start = (paddr_t)_kernel_phys_start;
	bootinfo.bi_kernel_end = KVA_TO_PHYS(_end);

	if (magic == MB2_BOOTLOADER_MAGIC)
		bootinfo_from_mb2(info);
	else if (magic == PVH_START_MAGIC &&
	    ((const struct hvm_start_info *)PHYS_TO_DMAP(info))->magic ==
	    PVH_START_MAGIC)
		bootinfo_from_pvh(info);
	else
		bootinfo_error = "unknown boot loader (bad magic number)";
	cmdline_init(bootinfo.bi_cmdline);
	kmain();
}

/*
 * Print what the loader gave us; called by kmain() once the console is up.
 * Returns -EINVAL when the hand-off was unusable (no memory map).
 */
int
bootinfo_report(void)
{
	int i;
	uint64_t avail = 0;

	if (bootinfo_error != NULL) {
		kprintf("boot: %s\n", bootinfo_error);
		return -EINVAL;
	}
	for (i = 0; i < bootinfo.bi_nmem; i++)
		if (bootinfo.bi_mem[i].bm_type == BOOTMEM_AVAILABLE)
			avail += bootinfo.bi_mem[i].bm_len;
	kprintf("boot: loader %s%s, command line \"%s\"\n", bootinfo.bi_loader,
	    bootinfo.bi_efi ? " (UEFI)" : "", bootinfo.bi_cmdline);
	kprintf("boot: memory map: %d ranges, %lu MiB available; "
	    "%d module(s)\n", bootinfo.bi_nmem, avail >> 20,
	    bootinfo.bi_nmods);
	if (bootinfo_mem_dropped != 0)
		kprintf("boot: memory map: %u more range(s) than the %d kept; "
		    "dropped\n", bootinfo_mem_dropped, BOOTINFO_MAXMEM);
	if (bootinfo_mods_dropped != 0)
		kprintf("boot: %u more module(s) than the %d kept; dropped\n",
		    bootinfo_mods_dropped, BOOTINFO_MAXMODS);
	if (cmdline_get("verbose") != NULL) {
		for (i = 0; i < bootinfo.bi_nmem; i++) {
			const struct bootmem *bm = &bootinfo.bi_mem[i];

			kprintf("boot:   [%#014lx-%#014lx] type %u\n",
			    bm->bm_base, bm->bm_base + bm->bm_len - 1,
			    bm->bm_type);
		}
	}
	if (bootinfo.bi_nmem == 0) {
		kprintf("boot: the loader gave no memory map\n");
		return -EINVAL;
	}
	return 0;
}
