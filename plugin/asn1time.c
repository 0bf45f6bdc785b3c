/* being written (owner: der) */
#include "extern.h"
