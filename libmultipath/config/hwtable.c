// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The built-in hardware table: vendor-recommended settings for known
 * arrays, as data.  Each row names the array by POSIX extended regexes on
 * the SCSI/NVMe vendor and product strings and lists only what differs
 * from the compiled-in defaults.
 *
 * Order matters: lookups walk the table backwards (user entries, appended
 * after these rows, first), so generic rows (NVMe, ".*" products) must come
 * before the specific rows that refine them.
 *
 * Encoding of the small integer columns (0 always means "not set"):
 *   pg      PG(policy)
 *   fb      FB_IMM, FB_FOLLOW, or seconds
 *   npr     NPR_Q (queue), NPR_F (fail), or a number of checks
 *   dloss   seconds or DL_INF
 *   flag columns (ufn, dprio, dchk, flush): OFF_ / ON_ / ALWAYS_
 */
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <string.h>

#include "config/internal.h"

struct hw_row {
	const char *vendor, *product, *bl_product;
	const char *uid, *checker, *prio, *hwh, *features, *selector;
	int pg, fb, npr, fio, dloss, minio, minio_rq, mskb;
	int8_t ufn, dprio, dchk, flush, rrw, vpd;
};

#define PG(p) ((p) + 1)
#define FB_IMM (-1)
#define FB_FOLLOW (-2)
#define NPR_Q (-1)
#define NPR_F (-2)
#define DL_INF (-1)
#define OFF_ 1
#define ON_ 2
#define ALWAYS_ 3
#define RRW_PRIO 2
#define CHECKINT 5

/* Common recipes */
#define GBP .pg = PG(PGP_GROUP_BY_PRIO)
#define ALUA GBP, .fb = FB_IMM, .prio = "alua"
#define MB .pg = PG(PGP_MULTIBUS)
#define RDAC .bl_product = "Universal Xport", GBP, .checker = "rdac", \
	.features = "2 pg_init_retries 50", .hwh = "1 rdac", .prio = "rdac", \
	.fb = FB_IMM, .npr = 30
#define HPSW .hwh = "1 hp_sw", GBP, .checker = "hp_sw", .prio = "hp_sw"

static const struct hw_row hw_rows[] = {
	/* generic NVMe first: everything below refines it */
	{ "NVM[eE]", ".*", .uid = "ID_WWN", .checker = "none", GBP, .fb = FB_IMM },
	/* Apple */
	{ "APPLE", "Xserve RAID", MB },
	/* HPE: 3PAR, Primera, Alletra 9000 */
	{ "3PARdata", "VV", ALUA, .hwh = "1 alua", .npr = 18, .fio = 10, .dloss = DL_INF,
	  .vpd = 1 },
	{ "NVME", "HPE Alletra", .npr = NPR_Q },
	{ "DEC", "HSG80", .npr = NPR_Q, HPSW },
	{ "HP", "A6189A", MB, .npr = 12 },
	{ "(COMPAQ|HP)", "(MSA|HSV)1[01]0", HPSW, .npr = 12 },
	{ "(COMPAQ|HP)", "MSA VOLUME", ALUA, .npr = 12 },
	{ "(COMPAQ|HP)", "(HSV1[01]1|HSV2[01]0|HSV3[046]0|HSV4[05]0)", ALUA, .npr = 12 },
	{ "HP", "(MSA2[02]12fc|MSA2012i)", MB, .npr = 18 },
	{ "HP", "(MSA2012sa|MSA23(12|24)(fc|i|sa)|MSA2000s VOLUME)", ALUA, .npr = 18 },
	{ "(HP|HPE)", "MSA [12]0[4567]0 (SAN|SAS|FC|iSCSI)", ALUA, .npr = 18 },
	{ "HP", "(HSVX700|HSVX740)", ALUA, .hwh = "1 alua", .npr = 12 },
	{ "HP", "LOGICAL VOLUME", MB, .npr = 12 },
	{ "HP", "(P2000 G3 FC|P2000G3 FC/iSCSI|P2000 G3 SAS|P2000 G3 iSCSI)", ALUA, .npr = 18 },
	{ "LEFTHAND", "(P4000|iSCSIDisk|FCDISK)", ALUA, .npr = 18 },
	{ "Nimble", "Server", ALUA, .hwh = "1 alua", .npr = NPR_Q },
	/* SGI */
	{ "SGI", "TP9100", MB },
	{ "SGI", "TP9[3457]00", RDAC },
	{ "SGI", "IS", RDAC },
	{ "SGI", "^DD[46]A-", ALUA, .npr = 30 },
	/* DataDirect Networks */
	{ "DDN", "SAN DataDirector", MB },
	{ "DDN", "^EF3010", MB, .npr = 30 },
	{ "DDN", "^(EF3015|S2A|SFA)", ALUA, .npr = 30 },
	{ "NEXENTA", "COMSTAR", .pg = PG(PGP_GROUP_BY_SERIAL), .npr = 30 },
	{ "TEGILE", "(ZEBI-(FC|ISCSI)|INTELLIFLASH)", ALUA, .hwh = "1 alua", .npr = 10 },
	/* Dell EMC */
	{ "EMC", "SYMMETRIX", MB, .npr = 6 },
	{ "NVME", "EMC PowerMax", .npr = NPR_Q },
	{ "^DGC", "^(RAID|DISK|VRAID)", .bl_product = "LUNZ", .hwh = "1 emc", GBP,
	  .fb = FB_IMM, .npr = 300 / CHECKINT, .checker = "emc_clariion", .prio = "emc",
	  .dchk = OFF_ },
	{ "EMC", "Invista", .bl_product = "LUNZ", MB, .npr = 5 },
	{ "XtremIO", "XtremApp", MB },
	{ "COMPELNT", "Compellent Vol", GBP, .fb = FB_IMM, .npr = NPR_Q },
	{ "DELL", "^MD3", RDAC },
	{ "DellEMC", "PowerStore", ALUA, .hwh = "1 alua", .npr = 3, .fio = 15 },
	{ ".*", "dellemc-powerstore", .npr = 3 },
	{ "DellEMC", "^ME", ALUA, .hwh = "1 alua" },
	/* Fujitsu */
	{ "FSC", "CentricStor", .pg = PG(PGP_GROUP_BY_SERIAL) },
	{ "FUJITSU", "ETERNUS_DX(H|L|M|400|8000)", ALUA, .npr = 10 },
	{ "(EUROLOGC|EuroLogc)", "FC2502", MB },
	{ "FUJITSU", "E[234]000", ALUA, .npr = 10 },
	{ "FUJITSU", "E[68]000", MB, .npr = 10 },
	{ "FUJITSU", "ETERNUS_AHB", RDAC },
	{ "NVME", "Fujitsu ETERNUS AB/HB Series", .npr = 30 },
	/* Hitachi Vantara, HPE XP */
	{ "(HITACHI|HP|HPE)", "^OPEN-", GBP, .fb = FB_IMM, .npr = 10 },
	{ "HITACHI", "^DF", .npr = NPR_Q, GBP, .fb = FB_IMM, .prio = "hds" },
	{ "HITACHI", "^DF600F", MB },
	/* IBM */
	{ "IBM", "ProFibre 4000R", MB },
	{ "IBM", "^1722-600", RDAC },
	{ "IBM", "^1724", RDAC },
	{ "IBM", "^1726", RDAC },
	{ "IBM", "^1742", RDAC },
	{ "IBM", "^1746", RDAC },
	{ "IBM", "^1813", RDAC },
	{ "IBM", "^1814", RDAC },
	{ "IBM", "^1815", RDAC },
	{ "IBM", "^1818", RDAC },
	{ "IBM", "^3526", RDAC },
	{ "IBM", "^(3542|3552)", RDAC },
	{ "IBM", "^2105", .npr = NPR_Q, MB },
	{ "IBM", "^1750500", .npr = NPR_Q, ALUA },
	{ "IBM", "^2107900", .npr = NPR_Q, GBP, .fb = FB_IMM },
	{ "IBM", "^2145", .npr = NPR_Q, ALUA },
	{ "NVME", "IBM[ ]+2145", .npr = NPR_Q },
	{ "IBM", "S/390 DASD ECKD", .bl_product = "S/390 DASD ECKD", .uid = "ID_UID", .npr = NPR_Q, MB,
	  .checker = "directio" },
	{ "IBM", "S/390 DASD FBA", .bl_product = "S/390 DASD FBA", .uid = "ID_UID", .npr = NPR_Q, MB,
	  .checker = "directio" },
	{ "IBM", "^IPR", .npr = NPR_Q, .hwh = "1 alua", ALUA },
	{ "IBM", "1820N00", ALUA, .npr = NPR_Q },
	{ "(XIV|IBM)", "(NEXTRA|2810XIV)", .npr = NPR_Q, GBP, .fb = 15 },
	{ "(TMS|IBM)", "(RamSan|FlashSystem)", MB },
	{ "NVMe", "FlashSystem", .npr = NPR_F },
	{ "IBM", "^(DCS9900|2851)", ALUA, .npr = 30 },
	{ "AIX", "VDASD", MB, .npr = 300 / CHECKINT },
	{ "IBM", "3303[ ]+NVDISK", .npr = 300 / CHECKINT },
	{ "AIX", "NVDISK", .hwh = "1 alua", ALUA, .npr = 300 / CHECKINT },
	/* Lenovo */
	{ "LENOVO", "DE_Series", RDAC },
	/* NetApp */
	{ "NETAPP", "LUN", .features = "2 pg_init_retries 50", .npr = NPR_Q, GBP, .fb = FB_IMM,
	  .flush = ALWAYS_, .dloss = DL_INF, .prio = "ontap", .ufn = OFF_ },
	{ "(NETAPP|LSI|ENGENIO)", "INF-01-00", RDAC },
	{ "SolidFir", "SSD SAN", MB, .npr = 24 },
	{ "NVME", "^NetApp ONTAP Controller", .npr = NPR_Q },
	/* NEC */
	{ "NEC", "DISK ARRAY", .hwh = "1 alua", ALUA },
	/* Oracle, Sun, StorageTek, Pillar */
	{ "^Pillar", "^Axiom", ALUA },
	{ "^Oracle", "^Oracle FS", ALUA },
	{ "STK", "BladeCtlr", RDAC },
	{ "STK", "OPENstorage", RDAC },
	{ "STK", "FLEXLINE 380", RDAC },
	{ "SUN", "StorEdge 3", MB },
	{ "SUN", "STK6580_6780", RDAC },
	{ "SUN", "CSM[12]00_R", RDAC },
	{ "SUN", "LCSM100_[IEFS]", RDAC },
	{ "SUN", "SUN_6180", RDAC },
	{ "SUN", "ArrayStorage", RDAC },
	{ "SUN", "(Sun Storage|ZFS Storage|COMSTAR)", ALUA, .npr = 30 },
	/* Pivot3 */
	{ "PIVOT3", "RAIGE VOLUME", .npr = NPR_Q, MB },
	{ "(NexGen|Pivot3)", "(TierStore|vSTAC)", ALUA, .npr = NPR_Q },
	/* Intel */
	{ "(Intel|INTEL)", "Multi-Flex", .bl_product = "VTrak V-LUN", .hwh = "1 alua", ALUA,
	  .npr = NPR_Q },
	/* Linux-IO target */
	{ "(LIO-ORG|SUSE)", ".*", .hwh = "1 alua", ALUA, .npr = 12, .checker = "directio",
	  .dchk = OFF_ },
	/* DataCore */
	{ "DataCore", "SANmelody", ALUA, .npr = NPR_Q },
	{ "DataCore", "Virtual Disk", ALUA, .npr = NPR_Q },
	/* Pure Storage */
	{ "PURE", "FlashArray", ALUA, .hwh = "1 alua", .dprio = OFF_, .fio = 10, .mskb = 4096 },
	{ "NVME", "Pure Storage FlashArray", .npr = 10 },
	/* Huawei */
	{ "^(HUAWEI|HUASY|HS)", "^(Dorado|HVS8|S[23568]|V1[568]|VIS6000)", GBP, .fb = FB_IMM,
	  .npr = 15 },
	{ "^(HUAWEI|AnyStor|Marstor|NETPOSA|SanM|SUGON|UDsafe)", "XSG1", GBP, .fb = FB_IMM,
	  .npr = 15 },
	{ "NVM[eE]", "Huawei-XSG1", .checker = "directio", .npr = 12 },
	/* Kove */
	{ "KOVE", "XPD", MB },
	/* Infinidat */
	{ "NFINIDAT", "InfiniBox", GBP, .fb = 30, .prio = "alua", .selector = "round-robin 0",
	  .rrw = RRW_PRIO, .npr = NPR_F, .minio = 1, .minio_rq = 1, .fio = 15, .flush = ALWAYS_ },
	/* Kaminario */
	{ "KMNRIO", "K2", MB },
	/* StorCentric: Nexsan, Violin */
	{ "NEXSAN", "NXS-B0", ALUA, .npr = 15 },
	{ "NEXSAN", "SATAB", ALUA, .npr = 15 },
	{ "Nexsan", "(NestOS|NST5000)", .hwh = "1 alua", ALUA, .npr = 30 },
	{ "VIOLIN", "SAN ARRAY$", .pg = PG(PGP_GROUP_BY_SERIAL), .npr = 30 },
	{ "VIOLIN", "SAN ARRAY ALUA", .hwh = "1 alua", ALUA, .npr = 30 },
	{ "VIOLIN", "CONCERTO ARRAY", MB, .npr = 30 },
	/* Xiotech */
	{ "(XIOTECH|XIOtech)", "ISE", MB, .npr = 12 },
	{ "(XIOTECH|XIOtech)", "IGLU DISK", MB, .npr = 30 },
	{ "(XIOTECH|XIOtech)", "Magnitude", MB, .npr = 30 },
	/* Vexata */
	{ "Vexata", "VX", MB, .npr = 30 },
	/* Promise */
	{ "Promise", "VTrak", .bl_product = "VTrak V-LUN", .hwh = "1 alua", ALUA, .npr = 30 },
	{ "Promise", "Vess", .bl_product = "Vess V-LUN", .hwh = "1 alua", ALUA, .npr = 30 },
	/* Infortrend */
	{ "^IFT", ".*", ALUA, .npr = 30 },
	/* Seagate (Dot Hill) */
	{ "DotHill", "SANnet", MB, .npr = 30 },
	{ "DotHill", "R/Evo", ALUA, .npr = 30 },
	{ "DotHill", "^DH", ALUA, .npr = 30 },
	/* AccelStor */
	{ "AStor", "NeoSapphire", GBP, .fb = FB_IMM, .npr = 30 },
	/* INSPUR */
	{ "INSPUR", "MCS", ALUA },
	/* MacroSAN */
	{ "MacroSAN", "LU", ALUA, .npr = 30 },
	/* Quantum: StorNext QX/QXS (cvfsctl is the StorNext control LUN),
	 * F-Series, F1000 */
	{ "Quantum", "(StorNext QX|QXS)", .bl_product = "cvfsctl", ALUA, .npr = 18 },
	{ "QUANTUM", "^(F|P|H)[24]", ALUA, .npr = 30 },
	{ "QUANTUM", "^F1", .pg = PG(PGP_GROUP_BY_SERIAL), .npr = 30 },
};

size_t mp_config_builtin_hwtable_size(void)
{
	return ARRAY_SIZE(hw_rows);
}

static int put_str(struct mp_layer *l, int id, const char *s)
{
	if (!s)
		return 0;
	l->v[id].s = strdup(s);
	if (!l->v[id].s)
		return -ENOMEM;
	l->set |= UINT64_C(1) << id;
	return 0;
}

static void put_int(struct mp_layer *l, int id, int i, int j)
{
	l->v[id].i = i;
	l->v[id].j = j;
	l->set |= UINT64_C(1) << id;
}

static void row_ints(const struct hw_row *r, struct mp_layer *l)
{
	if (r->pg)
		put_int(l, MP_SET_PGPOLICY, r->pg - 1, 0);
	if (r->fb == FB_IMM)
		put_int(l, MP_SET_FAILBACK, FB_IMMEDIATE, 0);
	else if (r->fb == FB_FOLLOW)
		put_int(l, MP_SET_FAILBACK, FB_FOLLOWOVER, 0);
	else if (r->fb > 0)
		put_int(l, MP_SET_FAILBACK, FB_DEFERRED, r->fb);
	if (r->npr == NPR_Q)
		put_int(l, MP_SET_NO_PATH_RETRY, NPR_QUEUE, 0);
	else if (r->npr == NPR_F)
		put_int(l, MP_SET_NO_PATH_RETRY, NPR_FAIL, 0);
	else if (r->npr > 0)
		put_int(l, MP_SET_NO_PATH_RETRY, NPR_RETRY, r->npr);
	if (r->fio)
		put_int(l, MP_SET_FAST_IO_FAIL_TMO, r->fio, 0);
	if (r->dloss)
		put_int(l, MP_SET_DEV_LOSS_TMO, r->dloss == DL_INF ? INT32_MAX : r->dloss, 0);
	if (r->minio)
		put_int(l, MP_SET_RR_MIN_IO, r->minio, 0);
	if (r->minio_rq)
		put_int(l, MP_SET_RR_MIN_IO_RQ, r->minio_rq, 0);
	if (r->mskb)
		put_int(l, MP_SET_MAX_SECTORS_KB, r->mskb, 0);
	if (r->ufn)
		put_int(l, MP_SET_USER_FRIENDLY_NAMES, r->ufn == ON_, 0);
	if (r->dprio)
		put_int(l, MP_SET_DETECT_PRIO, r->dprio == ON_, 0);
	if (r->dchk)
		put_int(l, MP_SET_DETECT_CHECKER, r->dchk == ON_, 0);
	if (r->flush)
		put_int(l, MP_SET_FLUSH_ON_LAST_DEL, r->flush == ALWAYS_ ? FLUSH_ALWAYS :
			r->flush == OFF_ ? FLUSH_NEVER : FLUSH_UNUSED, 0);
	if (r->rrw)
		put_int(l, MP_SET_RR_WEIGHT, r->rrw == RRW_PRIO ? RR_PRIORITIES : RR_UNIFORM, 0);
	if (r->vpd)
		put_int(l, MP_SET_VPD_VENDOR, r->vpd, 0);
}

static void hwe_release(struct mp_hwe *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_hwe *, hwe_release);

static int row_to_hwe(const struct hw_row *r, struct mp_hwe **ret)
{
	_cleanup_(hwe_releasep) struct mp_hwe *h = calloc(1, sizeof(*h));
	struct mp_layer *l;

	if (!h)
		return -ENOMEM;
	l = &h->l;
	h->vendor = strdup(r->vendor);
	h->product = strdup(r->product);
	if (!h->vendor || !h->product ||
	    (r->bl_product && !(h->bl_product = strdup(r->bl_product))))
		return -ENOMEM;
	if (put_str(l, MP_SET_UID_ATTRIBUTE, r->uid) < 0 ||
	    put_str(l, MP_SET_CHECKER, r->checker) < 0 || put_str(l, MP_SET_PRIO, r->prio) < 0 ||
	    put_str(l, MP_SET_HWHANDLER, r->hwh) < 0 ||
	    put_str(l, MP_SET_FEATURES, r->features) < 0 ||
	    put_str(l, MP_SET_SELECTOR, r->selector) < 0)
		return -ENOMEM;
	row_ints(r, l);
	if (mp_hwe_compile(h, NULL) < 0)
		return -EINVAL;
	h->builtin = true;
	*ret = TAKE_PTR(h);
	return 0;
}

/* The built-in entries are compiled once per process and shared by every
 * config (read-only after this; regexec on a shared regex_t is MT-safe),
 * which keeps a reload cheap. */
static struct mp_hwe *builtin_hwe[ARRAY_SIZE(hw_rows)];
static int builtin_status;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
	for (size_t k = 0; k < ARRAY_SIZE(hw_rows); k++) {
		int r = row_to_hwe(&hw_rows[k], &builtin_hwe[k]);

		if (r < 0) {
			builtin_status = r;
			return;
		}
	}
}

int mp_hwtable_load(struct mp_config *c)
{
	pthread_once(&builtin_once, builtin_init);
	if (builtin_status < 0)
		return builtin_status;
	c->hwe = calloc(ARRAY_SIZE(hw_rows), sizeof(*c->hwe));
	if (!c->hwe)
		return -ENOMEM;
	memcpy(c->hwe, builtin_hwe, sizeof(builtin_hwe));
	c->n_hwe = c->n_builtin = ARRAY_SIZE(hw_rows);
	return 0;
}

void mp_hwe_free(struct mp_hwe *h)
{
	if (h && !h->builtin)
		hwe_release(h);
}

static void hwe_release(struct mp_hwe *h)
{
	if (!h)
		return;
	if (h->has_vendor)
		regfree(&h->re_vendor);
	if (h->has_product)
		regfree(&h->re_product);
	if (h->has_revision)
		regfree(&h->re_revision);
	free(h->vendor);
	free(h->product);
	free(h->revision);
	free(h->bl_product);
	mp_layer_done(&h->l);
	free(h);
}

static int compile_one(const char *pat, regex_t *re, bool *has, const char *what,
		       struct mp_ctx *ctx)
{
	char err[128];

	if (!pat)
		return 0;
	if (mp_regcomp(re, pat, err, sizeof(err)) < 0) {
		if (ctx)
			mp_ctx_diag(ctx, LOG_ERR, "invalid regular expression '%s' for '%s': %s",
				    pat, what, err);
		return -EINVAL;
	}
	*has = true;
	return 0;
}

int mp_hwe_compile(struct mp_hwe *h, struct mp_ctx *ctx)
{
	if (compile_one(h->vendor, &h->re_vendor, &h->has_vendor, "vendor", ctx) < 0 ||
	    compile_one(h->product, &h->re_product, &h->has_product, "product", ctx) < 0 ||
	    compile_one(h->revision, &h->re_revision, &h->has_revision, "revision", ctx) < 0)
		return -EINVAL;
	return 0;
}

static bool re_ok(const regex_t *re, bool has, const char *s)
{
	if (!has)
		return true;
	return regexec(re, s ? s : "", 0, NULL, 0) == 0;
}

bool mp_hwe_match(const struct mp_hwe *h, const char *vendor, const char *product,
		  const char *revision)
{
	return re_ok(&h->re_vendor, h->has_vendor, vendor) &&
	       re_ok(&h->re_product, h->has_product, product) &&
	       re_ok(&h->re_revision, h->has_revision, revision);
}
