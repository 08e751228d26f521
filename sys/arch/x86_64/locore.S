/*
 * The first instructions: from the boot loader's 32-bit protected mode to
 * 64-bit C in the higher half.
 *
 * Two loaders reach us, both in 32-bit protected mode with paging off:
 *
 *  - GRUB2 through multiboot2 (the header below): %eax = 0x36d76289,
 *    %ebx = physical address of the multiboot2 information.
 *    (Multiboot2 specification 2.0, 3.3 "I386 machine state".)
 *  - QEMU's -kernel through the PVH entry named by the Xen ELF note below:
 *    %ebx = physical address of struct hvm_start_info.  %eax is undefined,
 *    so that entry loads the start_info magic into %eax itself.
 *    (Xen's "x86/HVM direct boot ABI", docs/misc/pvh.pandoc.)
 *
 * What we do, in order: read the TSC (the kernel's boot time starts here),
 * check that the CPU has long mode, build page tables that map the first
 * 4 GiB twice (identity, so this code keeps running when paging comes on,
 * and at DMAP_BASE) and the first 1 GiB at KERNBASE, all with 2 MiB pages;
 * turn on PAE, long mode (and NX when the CPU has it) and paging; far-jump
 * into 64-bit code; jump to the higher half; call machdep_boot(magic, info).
 * pmap_bootstrap() later replaces these tables.
 */

#include <sys/param.h>
#include <machine/specialreg.h>

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_ARCH_I386		0
#define PVH_START_MAGIC		0x336ec578	/* hvm_start_info.magic */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define BOOT_STACK_SIZE		4096		/* 32-bit code only */
#define KSTACK_SIZE		16384		/* the boot thread's stack */

#define PTE_BOOT		(0x001 | 0x002)	/* present, writable */
#define PDE_BOOT_2M		(0x001 | 0x002 | 0x080)	/* ... 2 MiB page */

/*
 * The multiboot2 header: within the first 32 KiB of the file, 8-byte
 * aligned.  It asks for the memory map, the command line, the modules, the
 * framebuffer, the loader name and the ACPI root pointer (all optional),
 * and says we take a framebuffer of any mode, or text mode.
 */
	.section .multiboot2, "a"
	.balign	8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	.balign	8
mb2_tag_info_request:
	.short	1		/* information request */
	.short	1		/* optional */
	.long	mb2_tag_info_request_end - mb2_tag_info_request
	.long	1		/* command line */
	.long	2		/* boot loader name */
	.long	3		/* modules */
	.long	6		/* memory map */
	.long	8		/* framebuffer */
	.long	14		/* ACPI 1.0 RSDP */
	.long	15		/* ACPI 2.0 RSDP */
mb2_tag_info_request_end:

	.balign	8
mb2_tag_framebuffer:
	.short	5		/* framebuffer */
	.short	1		/* optional: text mode is fine too */
	.long	20
	.long	0		/* width: no preference */
	.long	0		/* height */
	.long	32		/* depth */

	.balign	8
	.short	0		/* end tag */
	.short	0
	.long	8
mb2_header_end:

/*
 * The PVH entry note.  QEMU reads an 8-byte descriptor; the note's name is
 * padded to the segment alignment, 4.
 */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* namesz: "Xen\0" */
	.long	8			/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign	4
	.quad	start32_pvh
	.balign	4

	.section .boot.text, "ax"
	.code32

	.globl	start32_pvh
start32_pvh:
	movl	$PVH_START_MAGIC, %eax
	/* FALLTHROUGH */

	.globl	start32_multiboot
start32_multiboot:
	cli
	cld
	movl	%eax, %edi		/* first argument of machdep_boot */
	movl	%ebx, %esi		/* second */

	rdtsc
	movl	%eax, boot_entry_tsc
	movl	%edx, boot_entry_tsc + 4

	movl	$boot_stack32_top, %esp
	lgdt	boot_gdtr

	/* Is there CPUID (can we flip EFLAGS.ID) and long mode? */
	pushfl
	popl	%eax
	movl	%eax, %ecx
	xorl	$0x200000, %eax
	pushl	%eax
	popfl
	pushfl
	popl	%eax
	cmpl	%eax, %ecx
	je	no_long_mode
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx	/* LM */
	jz	no_long_mode
	xorl	%ebp, %ebp
	testl	$(1 << 20), %edx	/* NX */
	jz	1f
	movl	$EFER_NXE, %ebp
1:
	/* Four page directories: 2048 2 MiB pages, the first 4 GiB. */
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PDE_BOOT_2M, %eax
	movl	%eax, boot_pd(, %ecx, 8)
	movl	$0, boot_pd + 4(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b

	/* The low PDPT points at all four; the high one at the first. */
	movl	$boot_pd + PTE_BOOT, %eax
	movl	%eax, boot_pdpt_lo
	addl	$4096, %eax
	movl	%eax, boot_pdpt_lo + 8
	addl	$4096, %eax
	movl	%eax, boot_pdpt_lo + 16
	addl	$4096, %eax
	movl	%eax, boot_pdpt_lo + 24
	movl	$boot_pd + PTE_BOOT, %eax
	movl	%eax, boot_pdpt_hi + 510 * 8	/* KERNBASE: PDPT slot 510 */

	movl	$boot_pdpt_lo + PTE_BOOT, %eax
	movl	%eax, boot_pml4			/* identity */
	movl	%eax, boot_pml4 + 256 * 8	/* DMAP_BASE */
	movl	$boot_pdpt_hi + PTE_BOOT, %eax
	movl	%eax, boot_pml4 + 511 * 8	/* KERNBASE */

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	orl	%ebp, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | 1), %eax
	movl	%eax, %cr0
	ljmp	$0x08, $start64_low

/*
 * No long mode: say so on the serial port and the VGA text screen, stop.
 */
no_long_mode:
	movl	$no_lm_msg, %esi
	movl	$0xb8000, %edi
3:	lodsb
	testb	%al, %al
	jz	5f
	movb	$0x4f, %ah
	movw	%ax, (%edi)
	addl	$2, %edi
	movb	%al, %bl
	movw	$0x3fd, %dx		/* COM1 line status */
4:	inb	%dx, %al
	testb	$0x20, %al		/* transmitter empty */
	jz	4b
	movb	%bl, %al
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	3b
5:	cli
	hlt
	jmp	5b

	.code64
start64_low:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorw	%ax, %ax
	movw	%ax, %fs
	movw	%ax, %gs
	movl	%edi, %edi		/* zero-extend both arguments */
	movl	%esi, %esi
	movabsq	$start64_high, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.balign	8
boot_gdt:
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdtr:
	.short	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.globl	boot_entry_tsc
	.balign	8
boot_entry_tsc:
	.quad	0

no_lm_msg:
	.asciz	"EclipseOS needs a 64-bit (x86_64) CPU; this one has no long mode.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign	4096
boot_pml4:
	.space	4096
boot_pdpt_lo:
	.space	4096
boot_pdpt_hi:
	.space	4096
boot_pd:
	.space	4 * 4096
boot_stack32:
	.space	BOOT_STACK_SIZE
boot_stack32_top:

/*
 * 64-bit, in the higher half.  The boot thread's stack is in the kernel's
 * .bss; a zero frame pointer ends every backtrace.
 */
	.text
	.globl	start64_high
start64_high:
	movabsq	$boot_kstack_top, %rsp
	xorl	%ebp, %ebp
	call	machdep_boot
6:	cli
	hlt
	jmp	6b

	.bss
	.balign	4096
	/*
	 * An unmapped page below the boot stack (pmap_bootstrap leaves it
	 * out): an overflow faults, and the fault becomes a double fault on
	 * its own stack, instead of silently overwriting the .bss below.
	 */
	.globl	boot_kstack_guard
boot_kstack_guard:
	.space	4096
	.globl	boot_kstack, boot_kstack_top
boot_kstack:
	.space	KSTACK_SIZE
boot_kstack_top:

	.section .note.GNU-stack, "", @progbits
