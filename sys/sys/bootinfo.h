/*
 * What the boot loader told us, in one form whichever way we were booted:
 * GRUB2 through multiboot2, or QEMU's -kernel through the PVH entry.
 * arch/x86_64/bootinfo.c fills it in from the loader's own structures before
 * anything else runs; it is read-only afterwards.
 */
#ifndef _SYS_BOOTINFO_H_
#define _SYS_BOOTINFO_H_

#include <sys/types.h>

#define BOOTINFO_MAXMEM		128	/* memory-map entries kept */
#define BOOTINFO_MAXMODS	8	/* modules (the initramfs, later) */

/* Memory-map entry types: the E820 numbering, which both loaders use. */
#define BOOTMEM_AVAILABLE	1
#define BOOTMEM_RESERVED	2
#define BOOTMEM_ACPI_RECLAIM	3
#define BOOTMEM_ACPI_NVS	4
#define BOOTMEM_BAD		5

struct bootmem {
	paddr_t		bm_base;
	uint64_t	bm_len;
	uint32_t	bm_type;	/* BOOTMEM_* */
};

struct bootmod {
	paddr_t		bmod_start;
	paddr_t		bmod_end;	/* one past the last byte */
	char		bmod_name[64];
};

/* Which screen the loader left us. */
#define BOOTFB_NONE	0	/* nothing known (serial only) */
#define BOOTFB_VGATEXT	1	/* VGA text mode at 0xb8000 */
#define BOOTFB_RGB	2	/* linear framebuffer, direct RGB */

struct bootfb {
	int		fb_type;	/* BOOTFB_* */
	paddr_t		fb_addr;
	uint32_t	fb_pitch;	/* bytes per line */
	uint32_t	fb_width;	/* pixels, or columns in text mode */
	uint32_t	fb_height;	/* pixels, or rows in text mode */
	uint8_t		fb_bpp;
	uint8_t		fb_red_pos, fb_red_size;
	uint8_t		fb_green_pos, fb_green_size;
	uint8_t		fb_blue_pos, fb_blue_size;
};

#define BOOT_MULTIBOOT2	1
#define BOOT_PVH	2

struct bootinfo {
	int		bi_protocol;	/* BOOT_MULTIBOOT2 or BOOT_PVH */
	const char	*bi_loader;	/* "GRUB 2.06", "PVH", ... */
	char		bi_cmdline[512];
	struct bootmem	bi_mem[BOOTINFO_MAXMEM];
	int		bi_nmem;
	struct bootmod	bi_mods[BOOTINFO_MAXMODS];
	int		bi_nmods;
	struct bootfb	bi_fb;
	paddr_t		bi_rsdp;	/* 0: search the BIOS areas */
	uint8_t		bi_rsdp_copy[36]; /* multiboot2 gives a copy */
	int		bi_rsdp_copy_len; /* 0: no copy */
	bool		bi_efi;		/* booted by UEFI firmware */
	uint64_t	bi_entry_tsc;	/* TSC at the first instruction */
	paddr_t		bi_kernel_start; /* physical extent of the image */
	paddr_t		bi_kernel_end;
};

extern struct bootinfo bootinfo;

#endif /* _SYS_BOOTINFO_H_ */
