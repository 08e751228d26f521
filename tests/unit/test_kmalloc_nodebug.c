/*
 * The kmalloc tests again with KMALLOC_DEBUG off: kern_malloc.c is built
 * into this file with the switch turned off, so both of its configurations
 * are compiled and tested.  The debug-only checks are skipped.
 */
#define KMALLOC_DEBUG	0

#include "../../sys/kern/kern_malloc.c"
#include "test_kmalloc.c"
