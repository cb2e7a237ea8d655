// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dmmp-list: print every multipath map as libdmmp sees it, one line per
 * map, group and path.  A test helper for the VM scenarios; also a small
 * example of the API.  Exit status: 0, or the DMMP_ERR_* code.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libdmmp/libdmmp.h>

int main(int argc, char **argv)
{
	struct dmmp_context *ctx = dmmp_context_new();
	struct dmmp_mpath **mps = NULL;
	uint32_t n = 0;
	int rc;

	if (!ctx)
		return 2;
	if (argc > 1)
		dmmp_context_timeout_set(ctx, (unsigned int)atoi(argv[1]));
	rc = dmmp_mpath_array_get(ctx, &mps, &n);
	if (rc != DMMP_OK) {
		fprintf(stderr, "dmmp_mpath_array_get: %s (%s)\n", dmmp_strerror(rc),
			dmmp_last_error_msg(ctx));
		dmmp_context_free(ctx);
		return rc;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct dmmp_path_group **pgs;
		uint32_t npg;

		printf("map %s %s %s\n", dmmp_mpath_name_get(mps[i]), dmmp_mpath_wwid_get(mps[i]),
		       dmmp_mpath_kdev_name_get(mps[i]));
		dmmp_path_group_array_get(mps[i], &pgs, &npg);
		for (uint32_t g = 0; g < npg; g++) {
			struct dmmp_path **ps;
			uint32_t np;

			printf("  pg %u prio %u %s '%s'\n", dmmp_path_group_id_get(pgs[g]),
			       dmmp_path_group_priority_get(pgs[g]),
			       dmmp_path_group_status_str(dmmp_path_group_status_get(pgs[g])),
			       dmmp_path_group_selector_get(pgs[g]));
			dmmp_path_array_get(pgs[g], &ps, &np);
			for (uint32_t p = 0; p < np; p++)
				printf("    path %s %s\n", dmmp_path_blk_name_get(ps[p]),
				       dmmp_path_status_str(dmmp_path_status_get(ps[p])));
		}
	}
	dmmp_mpath_array_free(mps, n);
	dmmp_context_free(ctx);
	return 0;
}
