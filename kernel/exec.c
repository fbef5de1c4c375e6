/*
 * kernel/exec.c - execve(): replace the calling process's program (Linux
 * fs/exec.c and fs/binfmt_elf.c, for static ELF64 executables only).
 *
 *   do_execve(filename, argv, envp)
 *     open the file; read and check the ELF header and program headers
 *     copy argv and envp into the kernel (they live in the old address space)
 *     ---- point of no return: errors after this kill the process ----
 *     de_thread()          other threads of the process exit
 *     exec_mmap()          a new, empty mm replaces the old one
 *     load_elf_segments()  each PT_LOAD becomes a private file mapping, so
 *                          pages come in on demand from the page cache and
 *                          the first write to the data segment is a
 *                          do_cow_fault(); bss is anonymous memory
 *     create_elf_tables()  the stack: strings, auxv, envp, argv, argc
 *     flush_old_exec()     O_CLOEXEC files closed, handlers reset, TLS cleared
 *     start_thread()       user registers: RIP = entry, RSP = the new stack
 *
 * A malformed file fails with -ENOEXEC before the point of no return, so
 * the caller carries on as if nothing happened.
 */
#include "kernel/exec.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/special_insns.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/audit.h"
#include "mm/mm_types.h"
#include "mm/slab.h"

#define MAX_ARG_STRLEN  (PAGE_SIZE * 8)
#define MAX_ARG_BYTES   (128 * 1024)   /* argv + envp strings together */
#define MAX_ARG_STRINGS 4096
#define MAX_PHNUM       64

struct linux_binprm {
	struct file *file;
	const char *filename;
	Elf64_Ehdr ehdr;
	Elf64_Phdr *phdrs;
	int argc, envc;
	char *strings;      /* argv then envp, each NUL-terminated (kernel copy) */
	size_t strings_len;
	unsigned long load_bias;  /* 0 for ET_EXEC; where an ET_DYN is put */
};

/* ---- before the point of no return -------------------------------------- */

/*
 * check_elf - read and validate the headers of bprm->file. Returns 0 or
 * -ENOEXEC (not an executable we can run), -EIO, -ENOMEM.
 */
static int check_elf(struct linux_binprm *bprm)
{
	Elf64_Ehdr *eh = &bprm->ehdr;
	loff_t pos = 0, size = bprm->file->f_inode->i_size;
	size_t phsize;
	int nload = 0;

	if (kernel_read(bprm->file, eh, sizeof(*eh), &pos) != sizeof(*eh))
		return -ENOEXEC;
	if (memcmp(eh->e_ident, ELFMAG, 4) != 0 || eh->e_ident[4] != ELFCLASS64 ||
	    eh->e_ident[5] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	phsize = eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff > (u64)size || phsize > (u64)size - eh->e_phoff)
		return -ENOEXEC;
	bprm->phdrs = kmalloc(phsize, GFP_KERNEL);
	if (!bprm->phdrs)
		return -ENOMEM;
	pos = eh->e_phoff;
	if (kernel_read(bprm->file, bprm->phdrs, phsize, &pos) != (ssize_t)phsize)
		return -EIO;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &bprm->phdrs[i];

		if (ph->p_type == PT_INTERP) {
			printk("exec %s: dynamically linked programs are not supported "
			       "(build with musl-gcc -static)\n", bprm->filename);
			return -ENOEXEC;
		}
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > (u64)size ||
		    ph->p_filesz > (u64)size - ph->p_offset ||
		    (ph->p_vaddr & ~PAGE_MASK) != (ph->p_offset & ~PAGE_MASK) ||
		    ph->p_memsz > TASK_SIZE || ph->p_vaddr > TASK_SIZE - ph->p_memsz)
			return -ENOEXEC;
		nload++;
	}
	if (nload == 0)
		return -ENOEXEC;
	/* A static PIE goes where the kernel chooses, like Linux's ELF_ET_DYN_BASE. */
	bprm->load_bias = eh->e_type == ET_DYN ? 0x555555554000UL : 0;
	if (eh->e_entry + bprm->load_bias >= TASK_SIZE)
		return -ENOEXEC;
	return 0;
}

/*
 * copy_strings - append the NULL-terminated array of strings @argv
 * (user pointers, or kernel pointers when @kernel) to bprm->strings.
 * Returns how many, or -EFAULT / -E2BIG.
 */
static int copy_strings(struct linux_binprm *bprm, const char *const *argv, bool kernel)
{
	int n = 0;

	if (!argv)
		return 0;
	for (;; n++) {
		const char *p;
		long len;

		if (n >= MAX_ARG_STRINGS)
			return -E2BIG;
		if (kernel)
			p = argv[n];
		else if (get_user(p, (const char *const __user *)argv + n))
			return -EFAULT;
		if (!p)
			return n;
		size_t room = MAX_ARG_BYTES - bprm->strings_len;

		if (kernel) {
			len = strnlen(p, room);
			memcpy(bprm->strings + bprm->strings_len, p, min((size_t)len + 1, room));
		} else {
			len = strncpy_from_user(bprm->strings + bprm->strings_len,
						(const char __user *)p, room);
			if (len < 0)
				return -EFAULT;
		}
		if ((size_t)len >= room || len >= (long)MAX_ARG_STRLEN)
			return -E2BIG;
		bprm->strings_len += len + 1;
	}
}

/* ---- after the point of no return --------------------------------------- */

/*
 * exec_mmap - give current a fresh, empty address space and drop the old
 * one (other tasks may still share it: a vfork parent, in Linux's case).
 */
static int exec_mmap(void)
{
	struct mm_struct *mm = mm_alloc(), *old = current->mm;

	if (!mm)
		return -ENOMEM;
	local_irq_disable();
	task_lock(current);
	current->mm = mm;
	current->active_mm = mm;
	task_unlock(current);
	write_cr3(virt_to_phys(mm->pgd));
	local_irq_enable();
	if (old)
		mmput(old);
	return 0;
}

static unsigned long elf_prot(u32 flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

/*
 * load_elf_segments - map every PT_LOAD: the file part as a private file
 * mapping, the rest of memsz (bss) as anonymous memory; zero the bss part
 * of the last file page. Sets mm's code/data/brk fields.
 */
static int load_elf_segments(struct linux_binprm *bprm)
{
	struct mm_struct *mm = current->mm;
	unsigned long bias = bprm->load_bias, end_max = 0;

	mm->start_code = ~0UL;
	for (int i = 0; i < bprm->ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &bprm->phdrs[i];
		unsigned long start, file_end, mem_end, prot, r;

		if (ph->p_type != PT_LOAD)
			continue;
		start = ph->p_vaddr + bias;
		file_end = start + ph->p_filesz;
		mem_end = start + ph->p_memsz;
		prot = elf_prot(ph->p_flags);

		if (ph->p_filesz) {
			r = vm_mmap(bprm->file, ALIGN_DOWN(start, PAGE_SIZE),
				    file_end - ALIGN_DOWN(start, PAGE_SIZE), prot,
				    MAP_PRIVATE | MAP_FIXED, ph->p_offset >> PAGE_SHIFT);
			if (IS_ERR_VALUE(r))
				return (int)r;
		}
		/* bss: the tail of the last file page, then whole anonymous pages. */
		if (mem_end > file_end) {
			unsigned long anon = PAGE_ALIGN(file_end);

			if (ph->p_filesz && (file_end & ~PAGE_MASK) && (prot & PROT_WRITE) &&
			    clear_user((void __user *)file_end, min(anon, mem_end) - file_end))
				return -EFAULT;
			if (PAGE_ALIGN(mem_end) > anon) {
				r = vm_mmap(NULL, anon, PAGE_ALIGN(mem_end) - anon, prot,
					    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
				if (IS_ERR_VALUE(r))
					return (int)r;
			}
		}
		if (ph->p_flags & PF_X) {
			mm->start_code = min(mm->start_code, start);
			mm->end_code = max(mm->end_code, file_end);
		} else {
			if (!mm->start_data)
				mm->start_data = start;
			mm->end_data = max(mm->end_data, file_end);
		}
		end_max = max(end_max, mem_end);
	}
	mm->start_brk = mm->brk = PAGE_ALIGN(end_max);
	return 0;
}

/* push - copy @n bytes to the new stack just below *sp; returns the address. */
static unsigned long push(unsigned long *sp, const void *data, size_t n, int *err)
{
	*sp -= n;
	if (copy_to_user((void __user *)*sp, data, n))
		*err = -EFAULT;
	return *sp;
}

/*
 * create_elf_tables - build the initial stack the way Linux lays it out
 * (the x86-64 psABI, and what musl's _start reads):
 *
 *   STACK_TOP  ->  execfn, argv and envp strings, "x86_64", 16 random bytes
 *                  (padding to 16 bytes)
 *                  auxv: (type, value) pairs ending with AT_NULL
 *                  envp[0..envc-1], NULL
 *                  argv[0..argc-1], NULL
 *   RSP        ->  argc
 */
static int create_elf_tables(struct linux_binprm *bprm, unsigned long *spp)
{
	unsigned long sp = STACK_TOP, execfn, str, platform, random, *vec;
	unsigned long phdr_addr = 0;
	int err = 0, nptr, nvec = 0, i;
	u64 rnd[2] = { rdtsc() * 0x9e3779b97f4a7c15ULL, (rdtsc() ^ 0x5bd1e995) * 0xc2b2ae3d27d4eb4fULL };
	const char *s = bprm->strings;

	execfn = push(&sp, bprm->filename, strlen(bprm->filename) + 1, &err);
	str = push(&sp, bprm->strings, bprm->strings_len, &err);
	platform = push(&sp, "x86_64", 7, &err);
	sp &= ~15UL;
	random = push(&sp, rnd, sizeof(rnd), &err);

	/* Where the program headers are in memory: inside the first PT_LOAD. */
	for (i = 0; i < bprm->ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &bprm->phdrs[i];

		if (ph->p_type == PT_LOAD && bprm->ehdr.e_phoff >= ph->p_offset &&
		    bprm->ehdr.e_phoff < ph->p_offset + ph->p_filesz) {
			phdr_addr = ph->p_vaddr + bprm->load_bias + bprm->ehdr.e_phoff - ph->p_offset;
			break;
		}
	}

	nptr = 1 + bprm->argc + 1 + bprm->envc + 1;
	vec = kmalloc((nptr + 2 * 20) * sizeof(unsigned long), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	vec[nvec++] = bprm->argc;
	for (i = 0; i < bprm->argc; i++) {
		vec[nvec++] = str + (s - bprm->strings);
		s += strlen(s) + 1;
	}
	vec[nvec++] = 0;  /* end of argv */
	for (i = 0; i < bprm->envc; i++) {
		vec[nvec++] = str + (s - bprm->strings);
		s += strlen(s) + 1;
	}
	vec[nvec++] = 0;  /* end of envp */
#define AUX(t, v) do { vec[nvec++] = (t); vec[nvec++] = (v); } while (0)
	AUX(AT_PHDR, phdr_addr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, bprm->ehdr.e_phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, bprm->ehdr.e_entry + bprm->load_bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_HWCAP, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	/* argc must end up 16-byte aligned. */
	sp &= ~15UL;
	if ((nvec * sizeof(unsigned long)) & 15)
		sp -= 8;
	push(&sp, vec, nvec * sizeof(unsigned long), &err);
	kfree(vec);
	*spp = sp;
	return err;
}

/* flush_old_exec - what a new program must not inherit from the old one. */
static void flush_old_exec(struct linux_binprm *bprm)
{
	const char *base = strrchr(bprm->filename, '/');

	do_close_on_exec(current->files);
	flush_signal_handlers(current);
	current->thread.fsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	fpu_init_state(&current->thread.fpu);
	fxrstor(&current->thread.fpu);
	current->clear_child_tid = NULL;
	set_task_comm(current, base ? base + 1 : bprm->filename);
}

static void free_bprm(struct linux_binprm *bprm)
{
	if (bprm->file)
		fput(bprm->file);
	kfree(bprm->phdrs);
	kfree(bprm->strings);
	kfree(bprm);
}

long do_execve(const char *filename, const char *const *argv, const char *const *envp,
	       bool kernel_args)
{
	struct linux_binprm *bprm = kzalloc(sizeof(*bprm), GFP_KERNEL);
	struct file *file;
	unsigned long sp;
	long ret;

	if (!bprm)
		return -ENOMEM;
	bprm->filename = filename;
	file = filp_open(filename, O_RDONLY, 0);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_free;
	}
	bprm->file = file;
	ret = -EACCES;
	if (!S_ISREG(file->f_inode->i_mode))
		goto out_free;
	ret = check_elf(bprm);
	if (ret)
		goto out_free;
	ret = -ENOMEM;
	bprm->strings = kmalloc(MAX_ARG_BYTES, GFP_KERNEL);
	if (!bprm->strings)
		goto out_free;
	ret = bprm->argc = copy_strings(bprm, argv, kernel_args);
	if (ret < 0)
		goto out_free;
	ret = bprm->envc = copy_strings(bprm, envp, kernel_args);
	if (ret < 0)
		goto out_free;

	/* ---- the point of no return ---- */
	ret = de_thread();
	if (ret)
		goto out_kill;
	current->flags &= ~PF_KTHREAD;
	ret = exec_mmap();
	if (ret)
		goto out_kill;
	ret = load_elf_segments(bprm);
	if (ret)
		goto out_kill;
	ret = vm_mmap(NULL, STACK_TOP - STACK_SIZE_MAX, STACK_SIZE_MAX, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, 0);
	if (IS_ERR_VALUE(ret))
		goto out_kill;
	current->mm->start_stack = STACK_TOP;
	ret = create_elf_tables(bprm, &sp);
	if (ret)
		goto out_kill;
	flush_old_exec(bprm);
	start_thread(task_pt_regs(current), bprm->ehdr.e_entry + bprm->load_bias, sp);
	free_bprm(bprm);
	mm_audit_hook("after exec");
	return 0;

out_kill:
	/* The old program is gone: the process cannot continue (Linux: SIGSEGV). */
	printk("exec %s: failed after the point of no return (%ld); killing %d\n",
	       filename, ret, current->pid);
	force_fatal_sig(SIGSEGV);
out_free:
	free_bprm(bprm);
	return ret;
}

long sys_execve(unsigned long filename, unsigned long argv, unsigned long envp,
		unsigned long a3, unsigned long a4, unsigned long a5)
{
	char *path = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long ret, len;

	if (!path)
		return -ENOMEM;
	len = strncpy_from_user(path, (const char __user *)filename, PAGE_SIZE);
	if (len < 0)
		ret = len;
	else if (len == PAGE_SIZE)
		ret = -ENAMETOOLONG;
	else
		ret = do_execve(path, (const char *const *)argv, (const char *const *)envp, false);
	kfree(path);
	return ret;
}
