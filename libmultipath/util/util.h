/* SPDX-License-Identifier: GPL-2.0-or-later */
/* String and number helpers shared by every component. */
#ifndef MP_UTIL_UTIL_H
#define MP_UTIL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/macro.h"

/* strtol with full validation; 0 or -EINVAL/-ERANGE. */
int parse_int(const char *s, int *ret);
int parse_uint64(const char *s, uint64_t *ret);
/* "maj:min" → dev_t */
int parse_devt(const char *s, dev_t *ret);
/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy_mp(char *dst, const char *src, size_t size);
/* Strip trailing blanks/newlines in place and return s. */
char *strstrip_right(char *s);
bool str_startswith(const char *s, const char *prefix);
/* Read a whole small file (sysfs attribute); trailing newline stripped. */
int read_file_str(const char *path, char **ret);
/* Write a string to a file, as for a sysfs attribute. */
int write_file_str(const char *path, const char *value);
/* Replace `path` atomically by writing a temporary file and renaming it. */
int write_file_atomic(const char *path, const char *content, mode_t mode);
/* Format a size in 512-byte sectors as the incumbent does: 1.0G, 512M, … */
void format_size_sectors(uint64_t sectors, char *buf, size_t len);

#endif
