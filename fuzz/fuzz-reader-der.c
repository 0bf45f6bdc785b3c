/* Fuzz target: the der reader (reader_der.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_der)
{
	return fuzz_reader(&reader_der, data, size);
}
