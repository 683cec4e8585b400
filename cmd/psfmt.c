/* placeholder: the procps-compatible ps formatter is being written */
#include "config.h"
