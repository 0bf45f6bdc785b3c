/* Fuzz target: the certutil_text reader (reader_certutil_text.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_certutil_text)
{
	return fuzz_reader(&reader_certutil_text, data, size);
}
