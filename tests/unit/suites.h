/* One Check suite per test file; main.c runs them all. */
#ifndef TU_SUITES_H
#define TU_SUITES_H

#include <check.h>

Suite *suite_symtab(void);
Suite *suite_nl_map(void);
Suite *suite_nl_elf(void);
Suite *suite_vmcoreinfo(void);
Suite *suite_elfcore(void);
Suite *suite_fixedpoint(void);
Suite *suite_compat(void);
Suite *suite_kaslr(void);
Suite *suite_ktasks(void);
Suite *suite_phys(void);
Suite *suite_kallsyms(void);
Suite *suite_orc(void);
Suite *suite_escape(void);
Suite *suite_devname(void);
Suite *suite_uptime(void);
Suite *suite_btf(void);
Suite *suite_layout(void);

#endif
