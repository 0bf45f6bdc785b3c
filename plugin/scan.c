/* being written */
#include "extern.h"
