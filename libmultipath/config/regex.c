// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every regular expression of the configuration goes through here.  glibc
 * compiles `x+` and `x{n,m}` by copying the operand, so stacked or nested
 * repetitions grow the compiled form exponentially ("a++++…" or
 * "((a+)+)+…" exhaust memory).  Before compiling, the size of the expanded
 * pattern is estimated and patterns beyond a generous bound are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

#define RE_MAX_WEIGHT 20000.0

/* Weight of the expression from *pp up to ')' or the end. */
static double re_weight(const char **pp, int depth);

static double atom_weight(const char **pp, int depth)
{
	const char *p = *pp;
	double w = 1;

	if (*p == '(') {
		p++;
		w = depth > 64 ? RE_MAX_WEIGHT * 2 : re_weight(&p, depth + 1);
		if (*p == ')')
			p++;
	} else if (*p == '[') {
		p++;
		if (*p == '^')
			p++;
		if (*p == ']')
			p++;
		while (*p && *p != ']')
			p += (*p == '[' && p[1] == ':') ? 2 : 1;
		if (*p)
			p++;
	} else if (*p == '\\' && p[1]) {
		p += 2;
	} else {
		p++;
	}
	*pp = p;
	return w;
}

static double repeat_factor(const char **pp)
{
	const char *p = *pp;
	char *end;
	double f = 1;

	if (*p == '+')
		f = 2;
	else if (*p == '{') {
		long lo = strtol(p + 1, &end, 10), hi = lo;

		if (*end == ',')
			hi = end[1] == '}' ? lo + 1 : strtol(end + 1, &end, 10);
		f = (double)(hi > lo ? hi : lo) + 1;
		p = strchr(p, '}') ? strchr(p, '}') : p + strlen(p) - 1;
	}
	*pp = p + 1;
	return f;
}

static double re_weight(const char **pp, int depth)
{
	const char *p = *pp;
	double total = 0;

	while (*p && *p != ')' && total < RE_MAX_WEIGHT) {
		double w = atom_weight(&p, depth);

		while (*p == '*' || *p == '+' || *p == '?' || *p == '{')
			w = w * repeat_factor(&p) + 1;
		total += w;
		if (*p == '|')
			p++;
	}
	*pp = p;
	return total;
}

int mp_regcomp(regex_t *re, const char *pattern, char *err, size_t errlen)
{
	const char *p = pattern;
	double w = 0;
	int r;

	/* a stray ')' does not end the pattern */
	while (*p && w < RE_MAX_WEIGHT) {
		w += re_weight(&p, 0);
		if (*p == ')')
			p++;
	}
	if (strlen(pattern) > 4096 || w >= RE_MAX_WEIGHT) {
		snprintf(err, errlen, "too complex");
		return -EINVAL;
	}
	r = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
	if (r) {
		regerror(r, re, err, errlen);
		return -EINVAL;
	}
	return 0;
}
