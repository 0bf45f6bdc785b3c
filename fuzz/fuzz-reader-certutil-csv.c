/* Fuzz target: the certutil_csv reader (reader_certutil_csv.read behind its
 * probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_certutil_csv)
{
	return fuzz_reader(&reader_certutil_csv, data, size);
}
