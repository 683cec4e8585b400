/*
 * getloadavg(3) the historic way: avenrun out of kernel memory when it can
 * be read, else /proc/loadavg.  Values are rounded to hundredths as
 * /proc/loadavg and glibc's getloadavg give them, so the two agree.
 */
#include "config.h"

#include "libsym.h"

int
sym_getloadavg(double loadavg[], int nelem)
{
	struct sym_opts o = { .source = SYM_SRC_AUTO };
	struct sym_loadavg la;
	char err[SYM_ERRSIZE];
	sym_t *h;
	int i, rc = -1;

	if (nelem < 0)
		return -1;
	if ((h = sym_open(&o, err)) != NULL) {
		rc = sym_loadavg(h, &la);
		sym_close(h);
	}
	if (rc == -1 && sym_proc_loadavg(&la, err) == -1)
		return -1;
	if (nelem > 3)
		nelem = 3;
	for (i = 0; i < nelem; i++)
		loadavg[i] = (double)la.centi[i] / 100.0;
	return nelem;
}
