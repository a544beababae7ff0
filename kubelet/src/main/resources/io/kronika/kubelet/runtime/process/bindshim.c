/*
 * Kronika process runtime: makes a pod's processes listen on the pod's own address. Loaded with LD_PRELOAD into
 * every container process; a bind() to the wildcard address (0.0.0.0 or ::) with a non-zero port is turned into a
 * bind() to $KRONIKA_POD_IP (for IPv6 sockets its IPv4-mapped form), so that two pods can both listen on 8080.
 * Binds to port 0 (outgoing sockets) and to explicit addresses are left alone.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*real_bind)(int, const struct sockaddr *, socklen_t);
    if (!real_bind) {
        real_bind = (int (*)(int, const struct sockaddr *, socklen_t)) dlsym(RTLD_NEXT, "bind");
    }
    const char *ip = getenv("KRONIKA_POD_IP");
    if (ip != NULL && *ip != '\0' && addr != NULL) {
        if (addr->sa_family == AF_INET && len >= (socklen_t) sizeof(struct sockaddr_in)) {
            struct sockaddr_in a;
            memcpy(&a, addr, sizeof a);
            if (a.sin_addr.s_addr == htonl(INADDR_ANY) && a.sin_port != 0 && inet_pton(AF_INET, ip, &a.sin_addr) == 1) {
                return real_bind(fd, (const struct sockaddr *) &a, sizeof a);
            }
        } else if (addr->sa_family == AF_INET6 && len >= (socklen_t) sizeof(struct sockaddr_in6)) {
            struct sockaddr_in6 a;
            memcpy(&a, addr, sizeof a);
            char mapped[64];
            snprintf(mapped, sizeof mapped, "::ffff:%s", ip);
            if (memcmp(&a.sin6_addr, &in6addr_any, sizeof a.sin6_addr) == 0 && a.sin6_port != 0
                    && inet_pton(AF_INET6, mapped, &a.sin6_addr) == 1) {
                int off = 0;
                setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
                return real_bind(fd, (const struct sockaddr *) &a, sizeof a);
            }
        }
    }
    return real_bind(fd, addr, len);
}
