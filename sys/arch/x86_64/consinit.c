/*
 * The PC's early consoles, set up first thing in kmain() so that every
 * later step can print: COM1 by polling, and the screen the boot loader
 * left (VGA text mode, or a linear framebuffer on UEFI machines).
 *
 * Nothing but the boot page tables exists yet: they map the first 4 GiB
 * of physical memory at DMAP_BASE, which covers the VGA text memory and
 * nearly every framebuffer.  bootinfo has been filled in by machdep_boot().
 */
#include <sys/bootinfo.h>
#include <sys/cons.h>
#include <sys/errno.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <dev/cons/screen.h>
#include <dev/ic/ns16550var.h>

#define CONSINIT_COM1		0x3f8
#define CONSINIT_VGA_TEXT	0xb8000UL
#define CONSINIT_VGA_COLS	80
#define CONSINIT_VGA_ROWS	25

/* VGA text mode: the loader's numbers when it gave some, else 80x25. */
static void
consinit_vga(const struct bootfb *fb)
{
	paddr_t pa = CONSINIT_VGA_TEXT;
	uint32_t cols = CONSINIT_VGA_COLS, rows = CONSINIT_VGA_ROWS;
	int error;

	if (fb->fb_type == BOOTFB_VGATEXT && fb->fb_addr != 0 &&
	    fb->fb_width != 0 && fb->fb_height != 0) {
		pa = fb->fb_addr;
		cols = fb->fb_width;
		rows = fb->fb_height;
	}
	if ((error = vgatext_cnattach(pa, cols, rows)) < 0)
		kprintf("cons: VGA text mode %ux%u at %#lx not used "
		    "(error %d)\n", cols, rows, pa, error);
}

/*
 * Start the early consoles: COM1 (if a UART answers there), then the
 * screen.  VGA text mode when the loader says so, or when nobody said
 * anything and QEMU's PVH entry brought us (SeaBIOS leaves text mode on);
 * the framebuffer console when the loader set up an RGB framebuffer.
 * Runs before memory management, with interrupts off; takes cons_lock to
 * register each console.
 */
void
consinit(void)
{
	const struct bootfb *fb = &bootinfo.bi_fb;
	struct consdev *com;
	int error;

	ns16550_early_init(CONSINIT_COM1);
	if ((com = ns16550_early_cons()) != NULL)
		cons_register(com);

	switch (fb->fb_type) {
	case BOOTFB_VGATEXT:
		consinit_vga(fb);
		break;
	case BOOTFB_NONE:
		if (bootinfo.bi_protocol == BOOT_PVH)
			consinit_vga(fb);
		break;
	case BOOTFB_RGB:
		if ((error = fbcons_cnattach(fb)) == -ERANGE)
			kprintf("cons: framebuffer at %#lx is above 4 GiB, "
			    "beyond the boot map: not used\n", fb->fb_addr);
		else if (error < 0)
			kprintf("cons: %ux%u %u-bit framebuffer not usable "
			    "(error %d)\n", fb->fb_width, fb->fb_height,
			    fb->fb_bpp, error);
		break;
	default:
		kprintf("cons: unknown screen type %d: serial only\n",
		    fb->fb_type);
		break;
	}
	if (com == NULL)
		kprintf("cons: no UART at %#x: no serial console\n",
		    CONSINIT_COM1);
}
