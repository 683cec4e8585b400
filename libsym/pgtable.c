/* placeholder: the x86-64 page-table walker is being written */
#include "config.h"

#include "sym_private.h"
