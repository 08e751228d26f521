/*
 * execve(2), and starting the first user process.
 *
 * exec_image() works in phases, and nothing the caller can see changes
 * until the last one: exec_find (the file, following #! scripts), its
 * ELF interpreter when it names one (exec_interp_open: PT_INTERP, as
 * musl's dynamically linked programs do), a new address space filled by
 * the ELF loader (kern_exec_elf.c: the program, then the interpreter
 * beside it) and the initial stack (kern_exec_stack.c), then
 * exec_commit, which swaps the address space in and sets the registers
 * (the process starts at the interpreter's entry when there is one).
 * Programs are files of the VFS: exec reads their headers
 * (exec_read_head) and maps their pages from the page cache
 * (elf_load_mapped); only a program whose segments share a page, or a
 * file without a page cache, is read whole into kernel memory and copied
 * (elf_load).  An interpreter is opened and loaded the same way.
 */
#include <sys/abi/elf.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/file.h>
#include <sys/futex.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/random.h>
#include <sys/systm.h>
#include <sys/vm_map.h>
#include <sys/vnode.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>

#include <sysproto.h>


#define EXEC_PATH_MAX	4096		/* PATH_MAX */
#define EXEC_ARG_MAX	(2UL << 20)	/* a quarter of the 8 MiB stack */
#define EXEC_ARG_INIT	1024		/* the buffer's first size */
#define EXEC_STRLEN_MAX	(32 * 4096)	/* MAX_ARG_STRLEN */
#define EXEC_SCRIPT_DEPTH 4		/* nested #! interpreters */
#define EXEC_LINE_MAX	256		/* BINPRM_BUF_SIZE */
#define EXEC_IMAGE_MAX	(64UL << 20)	/* a program read whole for exec */
#define EXEC_HEAD	1024		/* bytes read first: the headers */

/*
 * The strings of a new program, in one kernel buffer: the argc argument
 * strings, then the envc environment strings, each NUL-terminated.  The
 * buffer starts at EXEC_ARG_INIT bytes and doubles as the strings need,
 * up to EXEC_ARG_MAX (beyond which execve is E2BIG): most programs get a
 * few hundred bytes, and a buffer of the largest size for each exec was
 * most of its time (issue 11).
 */
struct exec_args {
	char	*ea_buf;		/* ea_size bytes */
	size_t	 ea_size;
	size_t	 ea_used;
	int	 ea_argc, ea_envc;
};

static int
exec_args_init(struct exec_args *ea)
{
	memset(ea, 0, sizeof(*ea));
	if ((ea->ea_buf = kmalloc(EXEC_ARG_INIT, 0)) == NULL)
		return -ENOMEM;
	ea->ea_size = EXEC_ARG_INIT;
	return 0;
}

/* Double the buffer: -E2BIG when it is EXEC_ARG_MAX already. */
static int
exec_args_grow(struct exec_args *ea)
{
	size_t nsize;
	char *nbuf;

	if (ea->ea_size >= EXEC_ARG_MAX)
		return -E2BIG;
	nsize = MIN(ea->ea_size * 2, EXEC_ARG_MAX);
	if ((nbuf = kmalloc(nsize, 0)) == NULL)
		return -ENOMEM;
	memcpy(nbuf, ea->ea_buf, ea->ea_used);
	kfree(ea->ea_buf);
	ea->ea_buf = nbuf;
	ea->ea_size = nsize;
	return 0;
}

static void
exec_args_free(struct exec_args *ea)
{
	kfree(ea->ea_buf);
	ea->ea_buf = NULL;
}

/* Append one kernel string; -E2BIG when the buffer is full. */
static int
exec_args_add(struct exec_args *ea, const char *s)
{
	size_t len = strlen(s);
	int error;

	if (len + 1 > EXEC_STRLEN_MAX || ea->ea_used + len + 1 > EXEC_ARG_MAX)
		return -E2BIG;
	while (ea->ea_used + len + 1 > ea->ea_size)
		if ((error = exec_args_grow(ea)) < 0)
			return error;
	memcpy(ea->ea_buf + ea->ea_used, s, len + 1);
	ea->ea_used += len + 1;
	return 0;
}

/*
 * Append a user NULL-terminated vector of strings (NULL is an empty
 * vector, as Linux accepts); *countp gets how many.
 */
static int
exec_args_copyin(struct exec_args *ea, const char __user *const __user *uv,
    int *countp)
{
	const char __user *up;
	size_t done, room;
	int error;

	*countp = 0;
	if (uv == NULL)
		return 0;
	for (;;) {
		if (copyin(&uv[*countp], &up, sizeof(up)) < 0)
			return -EFAULT;
		if (up == NULL)
			return 0;
		/* A string that does not fit grows the buffer, then again. */
		for (;;) {
			room = MIN(ea->ea_size - ea->ea_used, EXEC_STRLEN_MAX);
			error = copyinstr(up, ea->ea_buf + ea->ea_used, room,
			    &done);
			if (error != -ENAMETOOLONG)
				break;
			if (room == EXEC_STRLEN_MAX)
				return -E2BIG;
			if ((error = exec_args_grow(ea)) < 0)
				return error;
		}
		if (error < 0)
			return error;
		ea->ea_used += done;
		(*countp)++;
	}
}

/*
 * For a #! script: the new strings are the interpreter, its optional
 * argument, the script's path, then the old argv[1...] and the environment
 * (Linux's load_script).
 */
static int
exec_args_script(struct exec_args *ea, const char *interp, const char *arg,
    const char *path)
{
	struct exec_args nea;
	const char *s = ea->ea_buf;
	int i, error;

	if ((error = exec_args_init(&nea)) < 0)
		return error;
	if ((error = exec_args_add(&nea, interp)) < 0)
		goto fail;
	nea.ea_argc = 1;
	if (arg[0] != '\0') {
		if ((error = exec_args_add(&nea, arg)) < 0)
			goto fail;
		nea.ea_argc++;
	}
	if ((error = exec_args_add(&nea, path)) < 0)
		goto fail;
	nea.ea_argc++;
	for (i = 0; i < ea->ea_argc + ea->ea_envc; i++) {
		if (i >= 1 && (error = exec_args_add(&nea, s)) < 0)
			goto fail;
		if (i >= 1 && i < ea->ea_argc)
			nea.ea_argc++;
		s += strlen(s) + 1;
	}
	nea.ea_envc = ea->ea_envc;
	exec_args_free(ea);
	*ea = nea;
	return 0;
fail:
	exec_args_free(&nea);
	return error;
}

/*
 * The first bytes of the program vp, of fsize bytes, in a new kernel
 * buffer (*imgp; kfree it) of *availp bytes: EXEC_HEAD of them (enough
 * for a #! line and the headers of most programs), or for an ELF file
 * whose program header table ends beyond, up to its end.
 */
static int
exec_read_head(struct vnode *vp, size_t fsize, void **imgp, size_t *availp)
{
	size_t want = MIN(fsize, EXEC_HEAD), table;
	struct elf64_ehdr eh;
	bool again = true;
	void *buf;
	long n;

	for (;;) {
		if ((buf = kmalloc(MAX(want, 1), 0)) == NULL)
			return -ENOMEM;
		if ((n = vfs_kern_read(vp, 0, buf, want)) < 0) {
			kfree(buf);
			return (int)n;
		}
		if (!again || (size_t)n < sizeof(eh))
			break;
		again = false;
		memcpy(&eh, buf, sizeof(eh));
		table = (size_t)eh.e_phnum * sizeof(struct elf64_phdr);
		if (eh.e_ident[EI_MAG0] != ELFMAG0 ||
		    eh.e_ident[EI_MAG1] != ELFMAG1 ||
		    eh.e_ident[EI_MAG2] != ELFMAG2 ||
		    eh.e_ident[EI_MAG3] != ELFMAG3 || eh.e_phoff > fsize ||
		    table > fsize - eh.e_phoff ||
		    eh.e_phoff + table <= (size_t)n)
			break;
		kfree(buf);
		want = eh.e_phoff + table;
	}
	*imgp = buf;
	*availp = (size_t)n;
	return 0;
}

/*
 * Open the file at path for exec (a program or an ELF interpreter): a
 * regular file (a directory or anything else is EACCES) that the process
 * may execute, on a mount without noexec; its first bytes in a new
 * kernel buffer (*imgp, *availp; kfree it, see exec_read_head), its size
 * in *sizep and its attributes in *va.  *vpp gets the vnode, referenced
 * and held as a text (vn_text_get): the caller puts both.
 */
static int
exec_open_file(const char *path, void **imgp, size_t *availp,
    size_t *sizep, struct vattr *va, struct vnode **vpp)
{
	struct vnode *vp;
	int error;

	if ((error = vfs_kern_lookup(path, &vp)) < 0)
		return error;
	if (vp->v_type != VREG || (vp->v_mount->mnt_flags & MS_NOEXEC))
		error = -EACCES;
	else if ((error = vn_access(vp, X_OK)) == 0 &&
	    (error = vn_getattr(vp, va)) == 0 &&
	    (error = vn_text_get(vp)) == 0) {
		/* Nothing may write a running program (ETXTBSY both ways). */
		if ((uint64_t)va->va_size > EXEC_IMAGE_MAX)
			error = -ENOMEM;
		else
			error = exec_read_head(vp, (size_t)va->va_size, imgp,
			    availp);
		if (error < 0)
			vn_text_put(vp);
		else
			*sizep = (size_t)va->va_size;
	}
	if (error < 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

/*
 * Open the program at path (exec_open_file), which replaces *textp, the
 * program found so far, as the one to run (nosuid mounts drop the set-ID
 * bits from *va).
 */
static int
exec_open(const char *path, void **imgp, size_t *availp, size_t *sizep,
    struct vattr *va, struct vnode **textp)
{
	struct vnode *vp;
	int error;

	if ((error = exec_open_file(path, imgp, availp, sizep, va, &vp)) < 0)
		return error;
	if (vp->v_mount->mnt_flags & MS_NOSUID)
		va->va_mode &= ~(uint32_t)(S_ISUID | S_ISGID);
	/* The program's vnode, kept as p_textvp (procfs's exe). */
	if (*textp != NULL) {
		vn_text_put(*textp);
		vrele(*textp);
	}
	*textp = vp;
	return 0;
}

/*
 * Find the program: the file at path, or for a #! script its interpreter,
 * up to EXEC_SCRIPT_DEPTH deep.  path (EXEC_PATH_MAX bytes) ends as the
 * file to load, whose first *availp bytes are in *imgp (kfree them), its
 * size in *sizep and attributes in *va.
 */
static int
exec_find(struct exec_args *ea, char *path, void **imgp, size_t *availp,
    size_t *sizep, struct vattr *va, struct vnode **textp)
{
	char interp[EXEC_LINE_MAX], arg[EXEC_LINE_MAX];
	int depth, error;

	for (depth = 0;; depth++) {
		if ((error = exec_open(path, imgp, availp, sizep, va,
		    textp)) < 0)
			return error;
		error = exec_script_parse(*imgp, *availp, interp,
		    sizeof(interp), arg, sizeof(arg));
		if (error <= 0) {
			if (error < 0)
				kfree(*imgp);
			return error;
		}
		kfree(*imgp);
		if (depth == EXEC_SCRIPT_DEPTH)
			return -ELOOP;
		if ((error = exec_args_script(ea, interp, arg, path)) < 0)
			return error;
		strlcpy(path, interp, EXEC_PATH_MAX);
	}
}

/* A program's ELF interpreter while execve loads it. */
struct exec_interp {
	struct vnode	*ix_vp;		/* NULL: the program has none */
	void		*ix_head;	/* its first ix_avail bytes */
	size_t		 ix_avail, ix_size;
};

/*
 * Open the interpreter that the program text (its first avail bytes in
 * head, checked by elf_check_head) names in PT_INTERP, as Linux's
 * load_elf_binary does: the path must end in a NUL (else -ENOEXEC), and
 * the file is opened as a program is (exec_open_file: -ENOENT, -EACCES,
 * -ETXTBSY... as Linux's open_exec).  0 with ix->ix_vp NULL when the
 * program has no interpreter; exec_interp_close undoes it.
 */
static int
exec_interp_open(struct vnode *text, const void *head, size_t avail,
    struct exec_interp *ix)
{
	struct vattr va;
	uint64_t off;
	size_t len;
	char *path;
	long n;
	int error;

	memset(ix, 0, sizeof(*ix));
	if (elf_interp_find(head, avail, &off, &len) == 0)
		return 0;
	if ((path = kmalloc(len, 0)) == NULL)
		return -ENOMEM;
	if (off <= avail && len <= avail - off)
		memcpy(path, (const char *)head + off, len);
	else if ((n = vfs_kern_read(text, (off_t)off, path, len)) < 0 ||
	    (size_t)n != len) {
		error = n < 0 ? (int)n : -EIO;	/* Linux's elf_read */
		goto out;
	}
	if (path[len - 1] != '\0') {
		klog("exec", "not a loadable ELF executable: its PT_INTERP "
		    "path does not end in a NUL");
		error = -ENOEXEC;
		goto out;
	}
	error = exec_open_file(path, &ix->ix_head, &ix->ix_avail,
	    &ix->ix_size, &va, &ix->ix_vp);
out:
	kfree(path);
	return error;
}

/* Let go of what exec_interp_open took (its mappings keep the file). */
static void
exec_interp_close(struct exec_interp *ix)
{
	if (ix->ix_vp == NULL)
		return;
	kfree(ix->ix_head);
	vn_text_put(ix->ix_vp);
	vrele(ix->ix_vp);
	ix->ix_vp = NULL;
}

/* elf_load_mapped's map: a private mapping of the program file arg. */
static int
exec_map_file(void *arg, struct vmspace *vm, vaddr_t va, size_t len,
    uint64_t off)
{
	struct vnode *vp = arg;
	int error;

	vref(vp);			/* the mapping's, kept on success */
	error = vm_map_file(vm, &va, len, VM_PROT_READ | VM_PROT_WRITE,
	    VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC,
	    VM_MAP_PRIVATE | VM_MAP_FIXED, vp, off);
	if (error < 0)
		vrele(vp);
	return error;
}

/*
 * Load the program vp (size bytes, the first avail of them in head), or
 * with interp its interpreter, into the new address space vm: mapped
 * from its page cache when it has one (a filesystem may make it now,
 * vop_mmap), else, or when its segments share a page, read whole and
 * copied.  0 or -errno (vm is then thrown away by the caller).
 */
static int
exec_load(struct vmspace *vm, struct vnode *vp, const void *head,
    size_t avail, size_t size, bool interp, struct elf_loaded *el)
{
	void *image;
	size_t len;
	int error;

	if (vnode_object(vp) != NULL || (vp->v_ops->vop_mmap != NULL &&
	    vp->v_ops->vop_mmap(vp) == 0)) {
		error = interp ? elf_load_interp_mapped(vm, head, avail,
		    size, exec_map_file, vp, el) : elf_load_mapped(vm, head,
		    avail, size, exec_map_file, vp, el);
		if (error != -EOPNOTSUPP)
			return error;
	}
	if ((error = vfs_kern_readall(vp, EXEC_IMAGE_MAX, &image, &len)) < 0)
		return error == -EFBIG ? -ENOMEM : error;
	error = interp ? elf_load_interp(vm, image, len, el) :
	    elf_load(vm, image, len, el);
	kfree(image);
	return error;
}

/* The last component of path, for p_comm. */
static const char *
exec_basename(const char *path)
{
	const char *s = path, *p;

	for (p = path; *p != '\0'; p++)
		if (*p == '/' && p[1] != '\0')
			s = p + 1;
	return s;
}

/*
 * Load the program at path with strings ea into process p, whose thread is
 * td; td is either the caller (execve) or a new process's thread not yet
 * run (the first process).  On success p runs the new program when td
 * next returns to user mode.
 */
static int
exec_image(struct proc *p, struct thread *td, char *path,
    struct exec_args *ea)
{
	struct exec_strings es;
	struct exec_auxinfo ai;
	struct exec_interp ix;
	struct elf_loaded el;
	struct vmspace *vm, *old;
	struct vattr va;
	struct vnode *text = NULL, *oldtext;
	void *img = NULL;
	size_t avail = 0, size = 0, argbytes, envbytes;
	uint32_t euid, egid;
	char **vec, *s;
	vaddr_t sp;
	uint32_t a, b, c, d;
	char comm[sizeof(p->p_comm)];
	int i, error;

	/*
	 * The new name is the last component of the path execve was given,
	 * even when it names a script and exec_find goes on to its
	 * interpreter (Linux: pidof finds a script by its own name).
	 */
	strlcpy(comm, exec_basename(path), sizeof(comm));
	if ((error = exec_find(ea, path, &img, &avail, &size, &va,
	    &text)) < 0)
		goto fail_text;
	if ((error = elf_check_head(img, avail, size)) < 0)
		goto fail_img;
	if ((error = exec_interp_open(text, img, avail, &ix)) < 0)
		goto fail_img;

	/* The pointer vectors for exec_stack_build. */
	if ((vec = kmalloc((ea->ea_argc + ea->ea_envc + 2) * sizeof(*vec),
	    0)) == NULL) {
		error = -ENOMEM;
		goto fail_interp;
	}
	argbytes = ea->ea_argc == 0 ? 1 : 0;	/* argv becomes { "" } */
	envbytes = 0;
	for (i = 0, s = ea->ea_buf; i < ea->ea_argc + ea->ea_envc; i++) {
		vec[i < ea->ea_argc ? i : i + 1] = s;
		if (i < ea->ea_argc)
			argbytes += strlen(s) + 1;
		else
			envbytes += strlen(s) + 1;
		s += strlen(s) + 1;
	}
	vec[ea->ea_argc] = NULL;
	vec[ea->ea_argc + 1 + ea->ea_envc] = NULL;
	es.es_argv = vec;
	es.es_envp = vec + ea->ea_argc + 1;
	es.es_argc = ea->ea_argc;
	es.es_envc = ea->ea_envc;

	/* A set-user-ID or set-group-ID program runs with its owner's ids. */
	euid = (va.va_mode & S_ISUID) ? va.va_uid : p->p_euid;
	egid = (va.va_mode & S_ISGID) && (va.va_mode & S_IXGRP) ? va.va_gid :
	    p->p_egid;
	memset(&ai, 0, sizeof(ai));
	ai.ea_uid = p->p_uid;
	ai.ea_euid = euid;
	ai.ea_gid = p->p_gid;
	ai.ea_egid = egid;
	ai.ea_secure = euid != p->p_uid || egid != p->p_gid;
	cpuid(1, 0, &a, &b, &c, &d);
	ai.ea_hwcap = d;
	ai.ea_execfn = path;
	random_bytes(ai.ea_random, sizeof(ai.ea_random));

	if ((error = vmspace_create(&vm)) < 0)
		goto fail_vec;
	if ((error = exec_load(vm, text, img, avail, size, false, &el)) < 0)
		goto fail_vm;
	if (ix.ix_vp != NULL && (error = exec_load(vm, ix.ix_vp, ix.ix_head,
	    ix.ix_avail, ix.ix_size, true, &el)) < 0)
		goto fail_vm;
	if ((error = exec_stack_build(vm, &es, &el, &ai, &sp)) < 0)
		goto fail_vm;
	vm_brk_init(vm, el.el_brk);
	exec_interp_close(&ix);
	kfree(vec);
	kfree(img);
	vec = NULL;
	img = NULL;

	/*
	 * execve(2) from a thread: the other threads die first, and this
	 * one takes the process's pid as its thread id, as on Linux.  When
	 * another thread is already ending the process, this one dies too
	 * on its way out (sig_deliver).
	 */
	if (td == curthread) {
		spin_lock(&proc_lock);
		if (!proc_single_thread(p, td)) {
			spin_unlock(&proc_lock);
			error = -EINTR;
			goto fail_vm;
		}
		td->td_tid = p->p_pid;
		p->p_exiting = false;
		p->p_exiter = NULL;
		spin_unlock(&proc_lock);
	}

	/* The robust futexes held go as at a thread's end (Linux). */
	if (td == curthread)
		futex_robust_exit(td);
	td->td_robust_head = 0;

	/* From here on we are committed; nothing below may fail. */
	old = p->p_vmspace;
	/*
	 * procfs reads these under proc_lock.  The strings end below
	 * execfn and a zero word at VM_STACK_TOP (kern_exec_stack.c).
	 */
	spin_lock(&proc_lock);
	p->p_vmspace = vm;
	oldtext = p->p_textvp;
	p->p_textvp = text;
	p->p_env_end = VM_STACK_TOP - 8 - (strlen(path) + 1);
	p->p_env_start = p->p_env_end - envbytes;
	p->p_arg_end = p->p_env_start;
	p->p_arg_start = p->p_arg_end - argbytes;
	spin_unlock(&proc_lock);
	if (oldtext != NULL) {
		vn_text_put(oldtext);
		vrele(oldtext);
	}
	vm_rlimit_sync(p);		/* RLIMIT_AS, _DATA, _STACK */
	if (td == curthread)
		vmspace_activate(vm);
	if (old != NULL)
		vmspace_release(old);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	/* execve(2): the saved set-user-ID is the new effective one. */
	p->p_euid = p->p_suid = euid;
	p->p_egid = p->p_sgid = egid;
	p->p_execed = true;
	strlcpy(td->td_name, p->p_comm, sizeof(td->td_name));
	td->td_clear_child_tid = NULL;
	cpu_exec_setregs(td, el.el_start, sp);
	fd_exec(p);
	sig_exec(p, td);
	ptimer_exec(p);		/* POSIX timers go; itimers stay */
	prctl_exec(p);
	proc_vfork_done(p);
	return 0;

fail_vm:
	vmspace_release(vm);
fail_vec:
	kfree(vec);
fail_interp:
	exec_interp_close(&ix);
fail_img:
	kfree(img);
fail_text:
	if (text != NULL) {
		vn_text_put(text);
		vrele(text);
	}
	return error;
}

/* execve(2) */
long
sys_execve(const char __user *upath, const char __user *const __user *argv,
    const char __user *const __user *envp)
{
	struct exec_args ea;
	char *path;
	int error;

	/* A user set by set*uid(2) that is over RLIMIT_NPROC (kern_proc.c). */
	if (proc_nproc_over(curproc))
		return -EAGAIN;
	if ((path = kmalloc(EXEC_PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	if ((error = copyinstr(upath, path, EXEC_PATH_MAX, NULL)) < 0)
		goto out_path;
	if (path[0] == '\0') {
		error = -ENOENT;
		goto out_path;
	}
	if ((error = exec_args_init(&ea)) < 0)
		goto out_path;
	if ((error = exec_args_copyin(&ea, argv, &ea.ea_argc)) < 0 ||
	    (error = exec_args_copyin(&ea, envp, &ea.ea_envc)) < 0)
		goto out_args;
	error = exec_image(curproc, curthread, path, &ea);
out_args:
	exec_args_free(&ea);
out_path:
	kfree(path);
	return error;
}

/*
 * Start the first user process, PID 1, running path with the arguments
 * argv (argv[0] is its name; NULL-terminated) and the environment envp
 * (NULL-terminated), both kernel strings.  Called by kmain() from the
 * boot thread.  Returns 0 (the process is runnable) or a negative errno.
 */
int
exec_start_init(const char *path, const char *const *argv,
    const char *const *envp)
{
	static const struct trapframe zero_frame;
	struct exec_args ea;
	struct proc *p;
	struct thread *td;
	char *kpath;
	int error;

	if ((kpath = kmalloc(EXEC_PATH_MAX, 0)) == NULL)
		return -ENOMEM;
	strlcpy(kpath, path, EXEC_PATH_MAX);
	if ((error = exec_args_init(&ea)) < 0)
		goto fail_path;
	for (; *argv != NULL; argv++, ea.ea_argc++)
		if ((error = exec_args_add(&ea, *argv)) < 0)
			goto fail_args;
	for (; *envp != NULL; envp++, ea.ea_envc++)
		if ((error = exec_args_add(&ea, *envp)) < 0)
			goto fail_args;
	if ((p = proc_alloc(&proc0, &error)) == NULL)
		goto fail_args;
	KASSERT(p->p_pid == 1, "the first process is not pid 1");
	if ((error = fd_fork(p, &proc0)) < 0 ||
	    (error = fd_init_console(p)) < 0)
		goto fail_proc;
	if ((td = thread_create_user(p, &zero_frame, 0, p->p_pid)) == NULL) {
		error = -ENOMEM;
		goto fail_proc;
	}
	spin_lock(&proc_lock);
	proc_thread_link(p, td);
	spin_unlock(&proc_lock);
	if ((error = exec_image(p, td, kpath, &ea)) < 0) {
		spin_lock(&proc_lock);
		proc_thread_unlink(p, td);
		spin_unlock(&proc_lock);
		thread_destroy_unstarted(td);
		goto fail_proc;
	}
	exec_args_free(&ea);
	kfree(kpath);
	klog("exec", "started %s as pid 1", path);
	sched_add(td);
	return 0;

fail_proc:
	fd_release(p);
	proc_release_dirs(p);
	spin_lock(&proc_lock);
	proc_free(p);
	spin_unlock(&proc_lock);
fail_args:
	exec_args_free(&ea);
fail_path:
	kfree(kpath);
	return error;
}
