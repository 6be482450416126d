#ifndef RAPPORT_FUZZ_DRIVER_H
#define RAPPORT_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`): parses libFuzzer's
/// command line and runs `callback` on each input.
///
/// SwiftPM links a Swift executable with `main` renamed to `<module>_main`, which libFuzzer's
/// own `main` does not provide; each fuzz target therefore defines `<module>_main` itself and
/// hands over to this driver.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
