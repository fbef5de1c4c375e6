/* kernel/types.h - fixed-width integer types and the __user marker. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

typedef long          ssize_t;
typedef u64           phys_addr_t;   /* a physical address */

/*
 * __user marks a pointer into user space. It changes nothing for the
 * compiler; it tells the reader "never dereference this directly, use
 * copy_from_user()/get_user() (arch/x86_64/uaccess.h)".
 */
#define __user

#endif
