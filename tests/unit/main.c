/*
 * The libsym unit tests.  Check forks for each test, so one that crashes
 * fails alone; CK_RUN_SUITE=name and CK_RUN_CASE=name select a part.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>

#include <check.h>

#include "suites.h"

int
main(void)
{
	Suite *(*const suites[])(void) = {
		suite_symtab, suite_nl_map, suite_nl_elf, suite_vmcoreinfo,
		suite_elfcore, suite_fixedpoint, suite_compat, suite_kaslr,
		suite_ktasks, suite_phys, suite_kallsyms, suite_orc,
		suite_uptime, suite_btf, suite_layout,
		suite_escape, suite_devname,
	};
	SRunner *sr;
	size_t i;
	int failed;

	sr = srunner_create(NULL);
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
