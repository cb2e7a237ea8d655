/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growable string buffer for building replies, tables and config dumps.
 * All appenders return the number of bytes added or -ENOMEM.
 */
#ifndef MP_UTIL_STRBUF_H
#define MP_UTIL_STRBUF_H

#include <stddef.h>

#include "util/macro.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t size;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_reset(struct strbuf *sb);
static inline void strbuf_done(struct strbuf *sb) { strbuf_reset(sb); }
static inline const char *strbuf_str(const struct strbuf *sb) { return sb->buf ? sb->buf : ""; }
static inline size_t strbuf_len(const struct strbuf *sb) { return sb->len; }
/* Take the string out of the buffer (caller frees); never NULL unless OOM. */
char *strbuf_steal(struct strbuf *sb);
int strbuf_append(struct strbuf *sb, const char *s);
int strbuf_appendn(struct strbuf *sb, const char *s, size_t n);
int strbuf_appendf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
/* Append `s` padded with blanks (or cut) to exactly `width` columns. */
int strbuf_append_padded(struct strbuf *sb, const char *s, size_t width);
/* Append `s` as a JSON string literal including quotes, escaping as RFC 8259 asks. */
int strbuf_append_json_string(struct strbuf *sb, const char *s);
void strbuf_truncate(struct strbuf *sb, size_t len);

static inline void strbuf_donep(struct strbuf *sb) { strbuf_reset(sb); }
#define _cleanup_strbuf_ _cleanup_(strbuf_donep)

#endif
