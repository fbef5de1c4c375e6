/*
 * tests/ktest/test_exec.c - execve() of files that are not runnable
 * programs fails cleanly, before the point of no return: the error Linux
 * gives, no child left running, nothing leaked. Each case writes a file
 * into /tmp and asks user_spawn() (a child process exec'ing it) to run it.
 */
#include "tests/ktest/ktest.h"
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/init.h"
#include "kernel/string.h"
#include "mm/mm.h"

#define TMPFILE "/tmp/ktest-exec"

static int write_file(const void *data, size_t n)
{
	struct file *f = filp_open(TMPFILE, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	loff_t pos = 0;
	ssize_t w;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	w = kernel_write(f, data, n, &pos);
	fput(f);
	return w == (ssize_t)n ? 0 : -EIO;
}

static void remove_file(void)
{
	do_unlinkat(ramfs_root(), TMPFILE);
}

/* spawn_status - exec @path in a child; exec's error, or the child's pid reaped. */
static long spawn_status(const char *path)
{
	const char *argv[] = { path, NULL };
	struct file *con = console_open(O_RDWR);
	long pid;
	int status;

	if (IS_ERR(con))
		return PTR_ERR(con);
	pid = user_spawn(path, argv, NULL, con, con, con);
	fput(con);
	if (pid > 0)
		kernel_wait(pid, &status);
	return pid;
}

/* A minimal, valid-looking ELF64 header + one PT_LOAD, for the cases to break. */
struct fake_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	u8 code[16];
};

static void make_elf(struct fake_elf *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, 4);
	e->eh.e_ident[4] = ELFCLASS64;
	e->eh.e_ident[5] = ELFDATA2LSB;
	e->eh.e_ident[6] = 1;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = 1;
	e->eh.e_entry = 0x400000 + __builtin_offsetof(struct fake_elf, code);
	e->eh.e_phoff = __builtin_offsetof(struct fake_elf, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 1;
	e->ph[0].p_type = PT_LOAD;
	e->ph[0].p_flags = PF_R | PF_X;
	e->ph[0].p_offset = 0;
	e->ph[0].p_vaddr = 0x400000;
	e->ph[0].p_filesz = sizeof(*e);
	e->ph[0].p_memsz = sizeof(*e);
	e->ph[0].p_align = PAGE_SIZE;
	/* the program: exit_group(42) */
	static const u8 prog[] = { 0xbf, 42, 0, 0, 0,          /* mov $42, %edi */
				   0xb8, 231, 0, 0, 0,         /* mov $231, %eax */
				   0x0f, 0x05 };               /* syscall */
	memcpy(e->code, prog, sizeof(prog));
}

static long exec_broken(struct ktest *test, void (*breakit)(struct fake_elf *), size_t len)
{
	struct fake_elf e;
	long r;

	make_elf(&e);
	if (breakit)
		breakit(&e);
	if (write_file(&e, len ? len : sizeof(e)))
		KTEST_SKIP("cannot write " TMPFILE);
	r = spawn_status(TMPFILE);
	remove_file();
	return r;
}

static void bad_magic(struct fake_elf *e) { e->eh.e_ident[1] = 'X'; }
static void elf32(struct fake_elf *e) { e->eh.e_ident[4] = 1; }
static void wrong_machine(struct fake_elf *e) { e->eh.e_machine = 3; /* i386 */ }
static void phdrs_outside(struct fake_elf *e) { e->eh.e_phoff = 1 << 20; }
static void too_many_phdrs(struct fake_elf *e) { e->eh.e_phnum = 1000; }
static void no_load(struct fake_elf *e) { e->ph[0].p_type = 4; /* PT_NOTE */ }
static void kernel_vaddr(struct fake_elf *e) { e->ph[0].p_vaddr = 0xffffffff80000000UL; }
static void filesz_past_eof(struct fake_elf *e) { e->ph[0].p_filesz = 1 << 20; e->ph[0].p_memsz = 1 << 20; }
static void misaligned(struct fake_elf *e) { e->ph[0].p_vaddr = 0x400123; }
static void interp(struct fake_elf *e)
{
	e->eh.e_phnum = 2;
	e->ph[1].p_type = PT_INTERP;
}

KTEST(exec_malformed_elf_is_enoexec)
{
	void (*cases[])(struct fake_elf *) = {
		bad_magic, elf32, wrong_machine, phdrs_outside, too_many_phdrs, no_load,
		kernel_vaddr, filesz_past_eof, misaligned, interp,
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long r = exec_broken(test, cases[i], 0);

		if (r != -ENOEXEC)
			ktest_info("malformation #%zu: exec returned %ld", i, r);
		EXPECT_EQ(r, -ENOEXEC);
	}
	/* A file cut off in the middle of the ELF header. */
	EXPECT_EQ(exec_broken(test, NULL, 20), -ENOEXEC);
}

KTEST(exec_valid_minimal_elf_runs)
{
	struct fake_elf e;
	const char *argv[] = { TMPFILE, NULL };
	struct file *con;
	int status = 0;
	long pid;

	make_elf(&e);
	ASSERT_EQ(write_file(&e, sizeof(e)), 0);
	con = console_open(O_RDWR);
	ASSERT_FALSE(IS_ERR(con));
	pid = user_spawn(TMPFILE, argv, NULL, con, con, con);
	fput(con);
	ASSERT_GT(pid, 0);
	EXPECT_EQ(kernel_wait(pid, &status), pid);
	EXPECT_EQ(status, 42 << 8);  /* exited, with the status the program gave */
	remove_file();
}

KTEST(exec_not_a_program)
{
	static const char text[] = "#!/bin/sh\necho scripts are not supported\n";

	ASSERT_EQ(write_file(text, sizeof(text) - 1), 0);
	EXPECT_EQ(spawn_status(TMPFILE), -ENOEXEC);
	remove_file();
	EXPECT_EQ(spawn_status("/no/such/program"), -ENOENT);
	EXPECT_EQ(spawn_status("/tmp"), -EACCES);  /* a directory */
}

static struct ktest_case exec_cases[] = {
	KTEST_CASE(exec_malformed_elf_is_enoexec),
	KTEST_CASE(exec_valid_minimal_elf_runs),
	KTEST_CASE(exec_not_a_program),
	{}
};

static struct ktest_suite exec_suite = {
	.name = "exec",
	.cases = exec_cases,
};
ktest_register_suite(exec_suite);
