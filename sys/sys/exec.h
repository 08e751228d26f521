/*
 * Loading programs (kern/kern_exec_elf.c, kern/kern_exec_stack.c) and the
 * initramfs they come from until the VFS exists (kern/kern_initramfs.c).
 *
 * The loader works on an image already in kernel memory (the initramfs is
 * loaded by GRUB or QEMU as a module, so every file is in RAM).  It checks
 * everything before it maps anything: a malformed file is -ENOEXEC and
 * never harms the kernel.
 *
 * Locking: none; the image is read-only and the target vmspace belongs to
 * the exec'ing thread alone until it switches to it.
 */
#ifndef _SYS_EXEC_H_
#define _SYS_EXEC_H_

#include <sys/types.h>

struct vmspace;

/* What the loader learned, for the initial stack's auxiliary vector. */
struct elf_loaded {
	vaddr_t		el_entry;	/* AT_ENTRY (with the load bias) */
	vaddr_t		el_start;	/* where the process starts: the
					   interpreter's entry, else el_entry */
	vaddr_t		el_base;	/* AT_BASE: the interpreter's load
					   address; 0 without one */
	vaddr_t		el_phdr;	/* AT_PHDR: the program headers, mapped */
	uint16_t	el_phent;	/* AT_PHENT */
	uint16_t	el_phnum;	/* AT_PHNUM */
	vaddr_t		el_load_bias;	/* 0 for ET_EXEC */
	vaddr_t		el_brk;		/* first page after the last segment */
	bool		el_exec_stack;	/* PT_GNU_STACK asked for PF_X */
};

/*
 * Check an ELF64 x86_64 executable (ET_EXEC, or ET_DYN) without touching
 * any address space: header, program headers in bounds, PT_INTERP's size
 * and bounds, segments in bounds and in user space, not overlapping, sane
 * alignment.  0, -ENOEXEC, or -EIO when PT_INTERP lies outside the file
 * (with one log line saying why).
 */
int	elf_check(const void *image, size_t size);
/* elf_check, then map and fill its PT_LOAD segments into vm. */
int	elf_load(struct vmspace *vm, const void *image, size_t size,
	    struct elf_loaded *el);
/*
 * elf_check of a file of size bytes of which only the first avail are in
 * head: the ELF header and the program header table must be among them
 * (a table past them is -ENOEXEC).
 */
int	elf_check_head(const void *head, size_t avail, size_t size);
/*
 * Map len bytes of the program file, from page-aligned offset off, at va
 * in vm: private, fixed, readable and writable (elf_load_mapped gives the
 * segments their protection afterwards).  0 or -errno.
 */
typedef int elf_map_fn(void *arg, struct vmspace *vm, vaddr_t va,
    size_t len, uint64_t off);
/*
 * elf_load without copying: check the program from its head (as
 * elf_check_head), then map each PT_LOAD's file pages with map (the
 * file's page cache, private: a write copies the page), zero the rest of
 * a segment's last file page past its file bytes, and map its bss as
 * anonymous memory.  -EOPNOTSUPP, with vm untouched, when two segments
 * share a page (the caller then reads the whole file for elf_load); else
 * as elf_load.
 */
int	elf_load_mapped(struct vmspace *vm, const void *head, size_t avail,
	    size_t size, elf_map_fn *map, void *arg, struct elf_loaded *el);

/*
 * A program's PT_INTERP (its interpreter's path, NUL included, which the
 * caller reads and checks for the NUL): 1 with its file offset and size,
 * 0 when there is none.  After elf_check_head passed on head.  Pure.
 */
int	elf_interp_find(const void *head, size_t avail, uint64_t *offp,
	    size_t *lenp);
/*
 * Load a program's interpreter (ld.so) into vm beside the program that
 * elf_load or elf_load_mapped put there: an ET_DYN one where mmap would
 * place it, an ET_EXEC one at its addresses; its own PT_INTERP is
 * ignored, as Linux does.  Sets el->el_start and el->el_base only.
 * -ELIBBAD when it is not a loadable ELF file for x86-64, -EIO when it
 * is shorter than an ELF header, else as elf_load and elf_load_mapped.
 */
int	elf_load_interp(struct vmspace *vm, const void *image, size_t size,
	    struct elf_loaded *el);
int	elf_load_interp_mapped(struct vmspace *vm, const void *head,
	    size_t avail, size_t size, elf_map_fn *map, void *arg,
	    struct elf_loaded *el);

/*
 * A "#!interpreter [arg]" first line: 1 and the interpreter path and its
 * optional single argument (Linux: the rest of the line, trimmed; "" when
 * there is none), 0 when the image is not a script, -ENOEXEC when the line
 * is too long (Linux's limit: 256 bytes including "#!") or names no
 * interpreter, -ENAMETOOLONG when interp or arg is too small (buffers of
 * 256 bytes, BINPRM_BUF_SIZE, always suffice).  Pure.
 */
int	exec_script_parse(const void *image, size_t size, char *interp,
	    size_t interp_size, char *arg, size_t arg_size);

/* Strings for the new program, in kernel memory. */
struct exec_strings {
	char	**es_argv;	/* NULL-terminated */
	char	**es_envp;	/* NULL-terminated */
	int	  es_argc, es_envc;
};

/* Credentials and machine facts the auxiliary vector reports. */
struct exec_auxinfo {
	uint32_t	ea_uid, ea_euid, ea_gid, ea_egid;
	bool		ea_secure;	/* AT_SECURE: setuid/setgid exec */
	uint64_t	ea_hwcap;	/* AT_HWCAP: CPUID.1:EDX */
	const char	*ea_execfn;	/* AT_EXECFN: the path exec'd */
	uint8_t		ea_random[16];	/* AT_RANDOM bytes */
};

/*
 * Build the Linux initial stack below VM_STACK_TOP in vm (mapping it as a
 * growable stack): argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL,
 * then the strings, the AT_RANDOM bytes and the platform string, 16-byte
 * aligned as the System V ABI requires.  *sp gets the initial rsp.
 * -E2BIG when the strings do not fit in the stack limit.
 */
int	exec_stack_build(struct vmspace *vm, const struct exec_strings *es,
	    const struct elf_loaded *el, const struct exec_auxinfo *ea,
	    vaddr_t *sp);

/*
 * The initramfs: a cpio "newc" archive from the boot loader's modules.
 * 0, -ENOENT when there is none, -EINVAL when it is malformed.
 */
int	initramfs_init(void);
/* Unpack it into the root filesystem (after vfs_init); 0 or -ENOENT. */
int	initramfs_unpack(void);
/*
 * The pure cpio newc walker under both (tests/unit uses it): call fn for
 * every entry; stops at "TRAILER!!!", or when fn returns non-zero (which
 * cpio_walk then returns); -EINVAL on a malformed archive.
 */
struct cpio_entry {
	const char	*ce_name;	/* not NUL-terminated beyond ce_namelen */
	size_t		 ce_namelen;	/* without the NUL */
	uint32_t	 ce_mode;	/* type and permission bits */
	uint32_t	 ce_ino;	/* with ce_dev, names a hard link */
	uint32_t	 ce_nlink;
	uint64_t	 ce_dev;	/* devmajor << 32 | devminor */
	uint64_t	 ce_rdev;	/* rdevmajor << 32 | rdevminor */
	uint32_t	 ce_uid, ce_gid;
	const void	*ce_data;
	size_t		 ce_size;
};
int	cpio_walk(const void *archive, size_t size,
	    int (*fn)(const struct cpio_entry *ce, void *arg), void *arg);
/*
 * Resolve path in archive into *ce (a regular file): the archive's own
 * lookup, which the unit tests use to check images (the kernel unpacks
 * the archive into its tmpfs root instead).  scratch holds the resolved
 * prefix: scratch_size >= strlen(path) + 1 always suffices.  0, -ENOENT, -ENOTDIR, -EISDIR,
 * -EACCES (not a regular file, directory or symlink), -ENAMETOOLONG, and
 * -EINVAL when the archive is malformed.
 */
int	cpio_lookup(const void *archive, size_t size, const char *path,
	    char *scratch, size_t scratch_size, struct cpio_entry *ce);

#endif /* _SYS_EXEC_H_ */
