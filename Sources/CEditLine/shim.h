// Non-variadic wrappers around libedit, callable from Swift.
// el_set() and history() are C variadics, which Swift cannot call, and the C
// globals stdin/stdout/stderr cannot be touched from Swift 6 code, so every
// such call lives here as a small static inline function.
#ifndef MAPL_CEDITLINE_SHIM_H
#define MAPL_CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>

typedef const char *(*mapl_prompt_fn)(EditLine *);
typedef unsigned char (*mapl_key_fn)(EditLine *, int);

/// Opens an editor on the process's standard streams.
static inline EditLine *mapl_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline void mapl_el_set_prompt(EditLine *el, mapl_prompt_fn fn) {
    el_set(el, EL_PROMPT, fn);
}

static inline void mapl_el_set_editor(EditLine *el, const char *mode) {
    el_set(el, EL_EDITOR, mode);
}

static inline void mapl_el_set_signal(EditLine *el, int on) {
    el_set(el, EL_SIGNAL, on);
}

static inline void mapl_el_set_clientdata(EditLine *el, void *data) {
    el_set(el, EL_CLIENTDATA, data);
}

static inline void *mapl_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

/// Registers a named editor function and binds it to a key sequence.
static inline void mapl_el_add_function(EditLine *el, const char *name, const char *help,
                                        mapl_key_fn fn, const char *key) {
    el_set(el, EL_ADDFN, name, help, fn);
    el_set(el, EL_BIND, key, name, NULL);
}

static inline void mapl_el_bind(EditLine *el, const char *key, const char *command) {
    el_set(el, EL_BIND, key, command, NULL);
}

static inline void mapl_el_use_history(EditLine *el, History *h) {
    el_set(el, EL_HIST, history, h);
}

static inline int mapl_el_source(EditLine *el) {
    return el_source(el, NULL);
}

static inline History *mapl_history_init(int size) {
    History *h = history_init();
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

static inline void mapl_history_enter(History *h, const char *line) {
    HistEvent ev;
    history(h, &ev, H_ENTER, line);
}

static inline int mapl_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int mapl_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

#endif
