/* placeholder: kps is being written */
#include "config.h"

#include <err.h>

int
main(void)
{
	errx(1, "not implemented yet");
}
