/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput over every file
 * named (directories recursively), so gcc builds exercise the seed corpus on
 * every test run. With clang, link the target with -fsanitize=fuzzer instead.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long runs;

static int replay(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: cannot stat %s\n", path);
        return 1;
    }
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return 1;
        struct dirent *de;
        int rc = 0;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            rc |= replay(sub);
        }
        closedir(d);
        return rc;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    uint8_t *buf = malloc((size_t)sb.st_size + 1);
    size_t n = fread(buf, 1, (size_t)sb.st_size, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    /* Every prefix length class too: truncation is a case the fuzzer loves. */
    for (size_t cut = 1; cut < n && cut < 4096; cut = cut * 3 + 1)
        LLVMFuzzerTestOneInput(buf, cut);
    free(buf);
    runs++;
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= replay(argv[i]);
    printf("replayed %lu inputs: %s\n", runs, rc ? "FAILED" : "ok");
    return rc;
}
