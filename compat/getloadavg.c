/*
 * getloadavg(3) the historic way: avenrun out of kernel memory when it can
 * be read, divided by FIXED_1 as BSD's getloadavg divides by FSCALE.
 * Otherwise sysinfo(2), which is what glibc reads: its loads are avenrun
 * shifted to SI_LOAD_SHIFT, unrounded, so both paths give glibc's values.
 */
#include "config.h"

#include <sys/sysinfo.h>

#include "libsym.h"

#define FIXED_1		2048.0			/* 1 << FSHIFT */
#define SI_LOAD		((double)(1 << SI_LOAD_SHIFT))

int
sym_getloadavg(double loadavg[], int nelem)
{
	struct sym_opts o = { .source = SYM_SRC_AUTO };
	struct sym_loadavg la;
	struct sysinfo si;
	char err[SYM_ERRSIZE];
	sym_t *h;
	int i, rc = -1;

	if (nelem < 0)
		return -1;
	if (nelem > 3)
		nelem = 3;
	if ((h = sym_open(&o, err)) != NULL) {
		if (sym_source(h) != SYM_SRC_PROC)
			rc = sym_loadavg(h, &la);
		sym_close(h);
	}
	if (rc == 0) {
		for (i = 0; i < nelem; i++)
			loadavg[i] = (double)la.avenrun[i] / FIXED_1;
		return nelem;
	}
	if (sysinfo(&si) == -1)
		return -1;
	for (i = 0; i < nelem; i++)
		loadavg[i] = (double)si.loads[i] / SI_LOAD;
	return nelem;
}
