/* sink_consumed() lives apart from sink.c so that test and fuzz harnesses
 * with a sink of their own (tests/container-sink.c, fuzz/sink.c) can link
 * the readers without sink.o: sink.c installs the real function. */
#include "config.h"

#include "extern.h"

void	(*sink_consumed_hook)(struct sink *, const unsigned char *);

void
sink_consumed(struct sink *s, const unsigned char *upto)
{
	if (sink_consumed_hook != NULL)
		sink_consumed_hook(s, upto);
}
