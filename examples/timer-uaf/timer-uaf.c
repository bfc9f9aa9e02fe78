/*
 * timer-uaf: LKST's worked example as a user-space program. A connection (struct conn) embeds a timer that a
 * small timer wheel fires. With --free-armed, one connection is closed on an "error path" that frees it without
 * deleting its timer: the free poisons the object (as the kernel's slab poisoning does) and, when the timer
 * fires, the wheel calls through the freed conn's callback pointer (0x6b6b…): a deterministic SIGSEGV.
 *
 * Build: cc -O0 -g -o timer-uaf timer-uaf.c
 * Run:   ./timer-uaf [--conns N] [--free-armed] [--tick-us US]
 *
 * The functions LKST/J probes take the object's address as their first argument (x86_64: %di, aarch64: %x0):
 *   conn_new(conn, size, id)   conn_free(conn)
 *   timer_add(timer, expires)  timer_mod(timer, expires)  timer_del(timer)  timer_fire(timer)
 * A timer's address lies inside its conn: [conn, conn + size).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))
#define WHEEL_SLOTS 1024
#define POISON 0x6b

struct timer {
    int slot;                         /* index in the wheel, -1 when not armed */
    unsigned long expires;            /* in ticks */
    void (*fn)(struct timer *);       /* the callback: lives inside the conn */
};

struct conn {
    int id;                           /* the first 16 bytes are reused by malloc's free list: keep the timer after */
    int state;
    char peer[24];
    struct timer timer;               /* the embedded timer, like structure A's in LKST's example */
    unsigned long timeouts;
};

/* The wheel keeps its own copy of each armed timer's expiry, so walking it never reads a timer's memory: a
 * freed timer is touched only when it fires. */
static struct { struct timer *timer; unsigned long expires; } wheel[WHEEL_SLOTS];
static unsigned long now_tick;

NOINLINE void timer_add(struct timer *t, unsigned long expires) {
    for (int i = 0; i < WHEEL_SLOTS; i++) {
        if (!wheel[i].timer) {
            wheel[i].timer = t;
            wheel[i].expires = expires;
            t->slot = i;
            t->expires = expires;
            return;
        }
    }
    fprintf(stderr, "timer-uaf: timer wheel full\n");
    exit(2);
}

NOINLINE void timer_del(struct timer *t) {
    if (t->slot < 0) return;
    wheel[t->slot].timer = NULL;
    t->slot = -1;
}

NOINLINE void timer_mod(struct timer *t, unsigned long expires) {
    timer_del(t);
    timer_add(t, expires);
}

/* Runs an expired timer: already off the wheel, as the kernel's timers are before their function runs. */
NOINLINE void timer_fire(struct timer *t) {
    t->slot = -1;
    t->fn(t);
}

static void run_timers(void) {
    for (int i = 0; i < WHEEL_SLOTS; i++) {
        struct timer *t = wheel[i].timer;
        if (t && wheel[i].expires <= now_tick) {
            wheel[i].timer = NULL;
            timer_fire(t);
        }
    }
}

static void conn_timeout(struct timer *t) {
    struct conn *c = (struct conn *) ((char *) t - offsetof(struct conn, timer));
    c->timeouts++;
}

NOINLINE void conn_new(struct conn *c, unsigned long size, int id) {
    memset(c, 0, size);
    c->id = id;
    snprintf(c->peer, sizeof c->peer, "10.0.0.%d:80", id % 250);
    c->timer.slot = -1;
    c->timer.fn = conn_timeout;
}

NOINLINE void conn_free(struct conn *c) {
    memset(c, POISON, sizeof *c);
    free(c);
}

static struct conn *conn_open(int id) {
    struct conn *c = malloc(sizeof *c);
    if (!c) { perror("malloc"); exit(2); }
    conn_new(c, sizeof *c, id);
    return c;
}

/* The right way to close: delete the timer, then free. */
static void conn_close(struct conn *c) {
    timer_del(&c->timer);
    conn_free(c);
}

static void tick(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
    now_tick++;
    run_timers();
}

int main(int argc, char **argv) {
    int conns = 8, free_armed = 0;
    long tick_us = 2000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--free-armed")) free_armed = 1;
        else if (!strcmp(argv[i], "--conns") && i + 1 < argc) conns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tick-us") && i + 1 < argc) tick_us = atol(argv[++i]);
        else { fprintf(stderr, "usage: %s [--conns N] [--free-armed] [--tick-us US]\n", argv[0]); return 2; }
    }
    if (conns < 2 || conns > 1000 || tick_us < 0) { fprintf(stderr, "timer-uaf: --conns 2..1000, --tick-us >= 0\n"); return 2; }
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct conn **c = calloc(conns, sizeof *c);
    for (int i = 0; i < conns; i++) {
        c[i] = conn_open(i);
        timer_add(&c[i]->timer, now_tick + 5 + i);           /* an idle timeout per connection */
    }
    for (int i = 0; i < conns; i += 2) timer_mod(&c[i]->timer, now_tick + 20 + i);   /* traffic pushes some out */
    for (int i = 0; i < 40; i++) tick(tick_us);              /* every timer fires once */
    timer_add(&c[0]->timer, now_tick + 200);                 /* armed again: a long keep-alive for connection 0 */
    for (int i = 1; i < conns; i++) timer_add(&c[i]->timer, now_tick + 10 + i);
    for (int i = 1; i < conns; i++) conn_close(c[i]);        /* closed properly: timer deleted first */
    printf("timer-uaf: %d connections opened, %d closed properly\n", conns, conns - 1);
    if (free_armed) {
        printf("timer-uaf: connection 0 (%p) freed with its timer armed\n", (void *) c[0]);
        conn_free(c[0]);                                     /* the bug: the error path forgets timer_del */
    } else {
        conn_close(c[0]);
    }
    /* Connection 0's timer expires 200 ticks (~0.4 s by default) after the free; with --free-armed its fire calls
     * the poisoned callback. The time between lets a tracer see the free before the crash. */
    for (int i = 0; i < 250; i++) tick(tick_us);
    printf("timer-uaf: done\n");
    free(c);
    return 0;
}
