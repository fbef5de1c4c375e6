/* kernel/cmdline.c - see cmdline.h. */
#include "kernel/cmdline.h"
#include "kernel/string.h"

bool cmdline_get(const char *cmdline, const char *name, char *buf, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;

		while (*p && *p != ' ')
			p++;
		size_t wlen = p - word;

		if (wlen >= nlen && strncmp(word, name, nlen) == 0 &&
		    (wlen == nlen || word[nlen] == '=')) {
			const char *val = wlen == nlen ? word + nlen : word + nlen + 1;
			size_t vlen = word + wlen - val;

			if (size) {
				if (vlen > size - 1)
					vlen = size - 1;
				memcpy(buf, val, vlen);
				buf[vlen] = '\0';
			}
			return true;
		}
	}
	return false;
}
