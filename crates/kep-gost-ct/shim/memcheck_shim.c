/* Memcheck client requests for the constant-time check: mark bytes as secret (undefined) or
 * public (defined). valgrind/memcheck.h is header-only; outside valgrind these do nothing. */
#include <stddef.h>
#include <valgrind/memcheck.h>

void kep_ct_secret(void *bytes, size_t len) { VALGRIND_MAKE_MEM_UNDEFINED(bytes, len); }

void kep_ct_public(void *bytes, size_t len) { VALGRIND_MAKE_MEM_DEFINED(bytes, len); }

int kep_ct_under_valgrind(void) { return RUNNING_ON_VALGRIND; }
