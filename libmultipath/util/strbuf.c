// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"

static int strbuf_reserve(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	char *p;
	size_t nsize;

	if (need <= sb->size)
		return 0;
	nsize = sb->size ? sb->size : 64;
	while (nsize < need)
		nsize *= 2;
	p = realloc(sb->buf, nsize);
	if (!p)
		return -ENOMEM;
	sb->buf = p;
	sb->size = nsize;
	return 0;
}

void strbuf_reset(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->size = 0;
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s;

	if (!sb->buf && strbuf_reserve(sb, 0) < 0)
		return NULL;
	if (!sb->len)
		sb->buf[0] = '\0';
	s = sb->buf;
	sb->buf = NULL;
	sb->len = sb->size = 0;
	return s;
}

int strbuf_appendn(struct strbuf *sb, const char *s, size_t n)
{
	if (strbuf_reserve(sb, n) < 0)
		return -ENOMEM;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return (int)n;
}

int strbuf_append(struct strbuf *sb, const char *s)
{
	return strbuf_appendn(sb, s, strlen(s));
}

int strbuf_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if (strbuf_reserve(sb, n) < 0)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
	return n;
}

int strbuf_append_padded(struct strbuf *sb, const char *s, size_t width)
{
	size_t n = strlen(s);

	if (n >= width)
		return strbuf_appendn(sb, s, n);
	if (strbuf_reserve(sb, width) < 0)
		return -ENOMEM;
	memcpy(sb->buf + sb->len, s, n);
	memset(sb->buf + sb->len + n, ' ', width - n);
	sb->len += width;
	sb->buf[sb->len] = '\0';
	return (int)width;
}

int strbuf_append_json_string(struct strbuf *sb, const char *s)
{
	size_t start = sb->len;
	const unsigned char *p;

	if (strbuf_append(sb, "\"") < 0)
		return -ENOMEM;
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		int r;

		switch (*p) {
		case '"': r = strbuf_append(sb, "\\\""); break;
		case '\\': r = strbuf_append(sb, "\\\\"); break;
		case '\n': r = strbuf_append(sb, "\\n"); break;
		case '\t': r = strbuf_append(sb, "\\t"); break;
		case '\r': r = strbuf_append(sb, "\\r"); break;
		default:
			if (*p < 0x20)
				r = strbuf_appendf(sb, "\\u%04x", *p);
			else
				r = strbuf_appendn(sb, (const char *)p, 1);
		}
		if (r < 0)
			return -ENOMEM;
	}
	if (strbuf_append(sb, "\"") < 0)
		return -ENOMEM;
	return (int)(sb->len - start);
}

void strbuf_truncate(struct strbuf *sb, size_t len)
{
	if (len < sb->len) {
		sb->len = len;
		sb->buf[len] = '\0';
	}
}
