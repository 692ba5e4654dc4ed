// Non-variadic wrappers around libedit, callable from Swift.
// el_set() and history() are C variadics, which Swift cannot call, and the C
// globals stdin/stdout/stderr cannot be touched from Swift 6 code, so every
// such call lives here as a small static inline function.
#ifndef MAPL_CEDITLINE_SHIM_H
#define MAPL_CEDITLINE_SHIM_H

#include <stdio.h>
#include <string.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <malloc.h>
#include <stdlib.h>
#include <histedit.h>

typedef const char *(*mapl_prompt_fn)(EditLine *);
typedef unsigned char (*mapl_key_fn)(EditLine *, int);

/// Takes the character type from the environment, falling back to a UTF-8 locale
/// when that is plain C/POSIX: else libedit edits multi-byte characters byte by byte.
static inline void mapl_use_utf8_ctype(void) {
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "en_US.UTF-8");
    }
}

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

/// The history as libedit writes it to a file, in a malloc'd buffer (the caller frees
/// it), so that mapl's own safe writer puts it on disk; NULL when it cannot be made.
/// (libedit sets the mode of the stream's file, so the stream is a real, unnamed
/// temporary file rather than one in memory.)
static inline char *mapl_history_text(History *h, size_t *length) {
    FILE *stream = tmpfile();
    if (stream == NULL) return NULL;
    HistEvent ev;
    char *buffer = NULL;
    long size = -1;
    if (history(h, &ev, H_SAVE_FP, stream) >= 0 && fflush(stream) == 0) size = ftell(stream);
    if (size >= 0 && (buffer = malloc((size_t)size + 1)) != NULL) {
        rewind(stream);
        if (fread(buffer, 1, (size_t)size, stream) != (size_t)size) {
            free(buffer);
            buffer = NULL;
        }
    }
    fclose(stream);
    if (buffer != NULL) *length = (size_t)size;
    return buffer;
}

/// Installs a plain signal handler. Without `restart`, a blocking read (el_gets)
/// returns with EINTR when the signal arrives — how Ctrl-C leaves a half-typed line.
/// The signal is also unblocked in the calling thread: a blocked mask is inherited
/// through exec (some test runners and launchers block SIGINT), and a blocked
/// Ctrl-C would never reach the handler.
static inline int mapl_set_signal_handler(int signo, void (*handler)(int), int restart) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = restart ? SA_RESTART : 0;
    if (sigaction(signo, &action, NULL) != 0) return -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/// Puts back the default action of a signal.
static inline void mapl_reset_signal_handler(int signo) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signo, &action, NULL);
}

/// The width of the terminal on `fd`, or 0 when it is not a terminal.
static inline int mapl_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 0;
}

/// Flushes the editor's output stream (stdout), so text written with write(2)
/// from a key function lands after what libedit has drawn.
static inline void mapl_flush_stdout(void) {
    fflush(stdout);
}

#endif
