/*
 * kernel/printk.c - vsnprintf, printk and panic.
 *
 * Formats: %d %i %u %x %X %o %c %s %p %% with the l, ll, z and h
 * modifiers, a width, '0' and '-' flags and a precision for %s. Like
 * Linux, "%pS" prints a kernel text address as symbol+offset/size
 * (kernel/kallsyms.c) - backtraces and oops reports use it.
 *
 * printk writes to COM1 under printk_lock, so that lines from an
 * interrupt handler do not tear lines of the code it interrupted. It also
 * keeps the last LOG_BUF_LEN bytes in log_buf (Linux's dmesg buffer), where
 * the selftests look for the kernel's own reports (printk_log_read).
 */
#include "kernel/printk.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/stacktrace.h"
#include "kernel/kallsyms.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

static DEFINE_SPINLOCK(printk_lock);
int oops_in_progress;

#define LOG_BUF_LEN (32 * 1024)
/* -- printk_lock -- */
static char log_buf[LOG_BUF_LEN];   /* byte i of the log at log_buf[i % LOG_BUF_LEN] */
static u64 log_next;                /* bytes logged since boot */

struct outbuf {
	char *buf;
	size_t size;  /* capacity, including the terminating NUL */
	size_t len;   /* characters produced so far (may exceed size) */
};

static void emit(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void emit_str(struct outbuf *o, const char *s, int width, int prec, bool left)
{
	int len = (int)strnlen(s, prec >= 0 ? (size_t)prec : (size_t)-1);

	if (!left)
		for (int i = len; i < width; i++)
			emit(o, ' ');
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (left)
		for (int i = len; i < width; i++)
			emit(o, ' ');
}

static void emit_num(struct outbuf *o, unsigned long long v, bool neg, unsigned base,
		     bool upper, int width, bool zero, bool left, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)strlen(prefix) : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int total = n + (neg ? 1 : 0) + plen;

	if (!left && !zero)
		for (int i = total; i < width; i++)
			emit(o, ' ');
	if (neg)
		emit(o, '-');
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	if (!left && zero)
		for (int i = total; i < width; i++)
			emit(o, '0');
	while (n)
		emit(o, tmp[--n]);
	if (left)
		for (int i = total; i < width; i++)
			emit(o, ' ');
}

/*
 * vsnprintf - format into @buf (at most @size bytes with the NUL).
 * Returns the length the full output would have had, as C99 says.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			emit(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, zero = false, alt = false;
		int width = 0, prec = -1, lng = 0;

		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			if (*fmt != 'h')
				lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

			emit_num(&o, u, v < 0, 10, false, width, zero, left, NULL);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned long long v = lng ? va_arg(ap, unsigned long long)
						   : va_arg(ap, unsigned int);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *pfx = alt && base == 16 ? (*fmt == 'X' ? "0X" : "0x") : NULL;

			emit_num(&o, v, false, base, *fmt == 'X', width, zero, left, pfx);
			break;
		}
		case 'c':
			emit(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			emit_str(&o, s ? s : "(null)", width, prec, left);
			break;
		}
		case 'p': {
			unsigned long v = (unsigned long)va_arg(ap, void *);

			if (fmt[1] == 'S' || fmt[1] == 's') {
				char sym[KSYM_NAME_LEN + 48];

				fmt++;
				sprint_symbol(sym, sizeof(sym), v, *fmt == 'S');
				emit_str(&o, sym, width, -1, left);
			} else {
				emit_num(&o, v, false, 16, false, 16, true, false, "0x");
			}
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			emit(&o, '%');
			emit(&o, *fmt);
			break;
		}
	}
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* log_store - append @n bytes to log_buf. printk_lock held (or an oops in progress). */
static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[log_next++ % LOG_BUF_LEN] = s[i];
}

u64 printk_log_pos(void)
{
	return READ_ONCE(log_next);
}

size_t printk_log_read(u64 since, char *buf, size_t size)
{
	unsigned long flags = local_irq_save();
	size_t n = 0;

	spin_lock(&printk_lock);
	if (log_next - since > LOG_BUF_LEN)
		since = log_next - LOG_BUF_LEN;  /* the older part is overwritten */
	for (; since < log_next && n < size - 1; since++)
		buf[n++] = log_buf[since % LOG_BUF_LEN];
	buf[n] = '\0';
	spin_unlock(&printk_lock);
	local_irq_restore(flags);
	return n;
}

/*
 * vprintk - format into a line buffer, write it to COM1 and keep it in
 * log_buf. Safe from interrupt handlers. Lines longer than 512 bytes are cut.
 */
int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	unsigned long flags;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	flags = local_irq_save();
	if (!oops_in_progress)
		spin_lock(&printk_lock);
	serial_write(buf, (size_t)n);
	log_store(buf, (size_t)n);
	if (!oops_in_progress)
		spin_unlock(&printk_lock);
	local_irq_restore(flags);
	return n;
}

/* console_write - raw bytes to the console, not torn by concurrent printk lines. */
void console_write(const char *buf, size_t n)
{
	unsigned long flags = local_irq_save();

	if (!oops_in_progress)
		spin_lock(&printk_lock);
	serial_write(buf, n);
	if (!oops_in_progress)
		spin_unlock(&printk_lock);
	local_irq_restore(flags);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/*
 * panic - the kernel cannot go on: print why and a backtrace, then leave
 * QEMU with the failure code (the test harness reads "Kernel panic").
 * Interrupts stay off from here on. Never returns.
 */
void __noreturn panic(const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	bool oops_printed = oops_in_progress;  /* die() already showed the trace */

	local_irq_disable();
	oops_in_progress = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("\nKernel panic - not syncing: %s\n", buf);
	if (!oops_printed)
		dump_stack();
	printk("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	qemu_exit(QEMU_EXIT_FAILURE);
}
