// Moves the wall clock of a process, and of nothing else, by RAPPORT_CLOCK_SHIFT_SECONDS.
//
// Preloaded (LD_PRELOAD) by Tools/shift-clock into a test run, so every date the code under
// test reads (Foundation's Date(), the log's Timestamp.now()) lies that far ahead, while the
// monotonic clocks that timers, sleeps and timeouts run on stay real. Debian's libfaketime
// also rewrites timer and poll calls, and under it libdispatch never fires a Task.sleep.
//
// RAPPORT_CLOCK_SHIFT_ONLY, a comma-separated list of program names, limits the shift to
// those programs: the build tools in between (swift test, the compiler) keep the real time,
// which their caches of file times need.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static int is_shifted_program(void) {
    const char *only = getenv("RAPPORT_CLOCK_SHIFT_ONLY");
    if (!only || !*only) return 1;
    size_t length = strlen(program_invocation_short_name);
    for (const char *name = only; *name;) {
        const char *end = strchr(name, ',');
        size_t size = end ? (size_t)(end - name) : strlen(name);
        if (size == length && strncmp(name, program_invocation_short_name, size) == 0) return 1;
        if (!end) break;
        name = end + 1;
    }
    return 0;
}

static long long shift_seconds(void) {
    static long long shift = -1;
    if (shift == -1) {
        const char *text = getenv("RAPPORT_CLOCK_SHIFT_SECONDS");
        shift = text && is_shifted_program() ? atoll(text) : 0;
    }
    return shift;
}

static int is_wall_clock(clockid_t clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
}

int clock_gettime(clockid_t clock, struct timespec *time) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(clock, time);
    if (result == 0 && is_wall_clock(clock)) time->tv_sec += shift_seconds();
    return result;
}

int gettimeofday(struct timeval *restrict time, void *restrict zone) {
    static int (*real)(struct timeval *restrict, void *restrict);
    if (!real) real = (int (*)(struct timeval *restrict, void *restrict))dlsym(RTLD_NEXT, "gettimeofday");
    int result = real(time, zone);
    if (result == 0) time->tv_sec += shift_seconds();
    return result;
}

time_t time(time_t *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (out) *out = now.tv_sec;
    return now.tv_sec;
}
