// SPDX-License-Identifier: GPL-2.0
/*
 * kmem.c - a read-only /dev/kmem for teaching, as an out-of-tree module.
 *
 * /dev/kmem gave kernel virtual addresses as file offsets: ps and uptime
 * found a symbol with nlist(3), lseek()ed to its address and read().  Linux
 * removed the device in 5.13 (commit bbcd53c96071, "drivers/char: remove
 * /dev/kmem for good"); distributions had CONFIG_DEVKMEM off for years.
 * This module brings back the read side of drivers/char/mem.c's kmem
 * (open_kmem, memory_lseek, read_kmem) so kmemstat can be shown working
 * the historic way.  It never writes kernel memory and has no mmap.
 *
 * It hands kernel memory (keys, other users' data) to any CAP_SYS_RAWIO
 * process: load it only in a disposable VM.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>
#include <linux/ptrace.h>	/* force_successful_syscall_return() */

/* Bytes one read() may return; the caller loops for more (mem.c had none). */
#define KMEM_MAX_READ	(1UL << 20)

static bool kmem_locked_down(void)
{
	/* mem.c's open_port() asked LOCKDOWN_DEV_MEM; /proc/kcore asks KCORE. */
	return security_locked_down(LOCKDOWN_DEV_MEM) ||
	       security_locked_down(LOCKDOWN_KCORE);
}

static int kmem_open(struct inode *inode, struct file *filp)
{
	/* open_port(): CAP_SYS_RAWIO, and nothing under lockdown. */
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (kmem_locked_down())
		return -EPERM;
	/* Read-only device: refuse write opens even to root (DAC override). */
	if (filp->f_mode & FMODE_WRITE)
		return -EPERM;
	/* memory_open(): offsets are addresses, "negative" as loff_t. */
	filp->f_mode |= FMODE_UNSIGNED_OFFSET;
	return 0;
}

/* memory_lseek() from mem.c, unchanged in spirit: no SEEK_END. */
static loff_t kmem_lseek(struct file *filp, loff_t offset, int orig)
{
	loff_t ret;

	inode_lock(file_inode(filp));
	switch (orig) {
	case SEEK_CUR:
		offset += filp->f_pos;
		fallthrough;
	case SEEK_SET:
		/* So that userland can't mistake f_pos = -9 for -EBADF. */
		if ((unsigned long long)offset >= -MAX_ERRNO) {
			ret = -EOVERFLOW;
			break;
		}
		filp->f_pos = offset;
		ret = filp->f_pos;
		force_successful_syscall_return();
		break;
	default:
		ret = -EINVAL;
	}
	inode_unlock(file_inode(filp));
	return ret;
}

/*
 * May the page holding addr be read?  mem.c used virt_addr_valid() for the
 * direct map and vread() (which skips ioremap areas) for vmalloc/module
 * space.  6.1 exports neither vread() nor is_vmalloc_or_module_addr(), so:
 * direct map and kernel image through virt_addr_valid(); vmalloc and module
 * space only where a page table entry is present and cacheable (ioremap'd
 * MMIO is uncached: reading device registers can have side effects).
 * copy_from_kernel_nofault() then catches anything unmapped since.
 */
static bool kmem_page_ok(unsigned long addr)
{
	unsigned int level;
	pte_t *pte;

	if (virt_addr_valid((void *)addr))
		return true;
	if (!is_vmalloc_addr((void *)addr) &&
	    !(addr >= MODULES_VADDR && addr < MODULES_END))
		return false;
	pte = lookup_address(addr, &level);
	if (!pte || !pte_present(*pte))
		return false;
	return !(pte_flags(*pte) & (_PAGE_PCD | _PAGE_PWT));
}

/*
 * read_kmem() without its write twin.  One page at a time through a bounce
 * page.  A read that runs from mapped into unmapped memory returns the
 * mapped part (a short read); one that starts unmapped fails with ENXIO.
 * A pending signal stops the read between pages with the bytes so far; a
 * fatal one before any byte gives EINTR.  At most KMEM_MAX_READ per call.
 */
static ssize_t kmem_read(struct file *filp, char __user *buf, size_t count,
			 loff_t *ppos)
{
	unsigned long p = (unsigned long)*ppos;
	ssize_t done = 0;
	int err = 0;
	char *bounce;

	/* The VFS (rw_verify_area) already refuses this; say it here too. */
	if (count && p + count - 1 < p)
		return -EOVERFLOW;
	count = min_t(size_t, count, KMEM_MAX_READ);
	if (!count)
		return 0;

	/* A bounce page, as read_kmem() had: hardened usercopy rightly
	 * refuses copy_to_user() straight from kernel text or slab. */
	bounce = (char *)__get_free_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (count) {
		size_t sz = min_t(size_t, count, PAGE_SIZE - offset_in_page(p));

		/* Between pages: stop on a signal, as read_mem() did. */
		if (done && signal_pending(current))
			break;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		if (!kmem_page_ok(p) ||
		    copy_from_kernel_nofault(bounce, (void *)p, sz)) {
			err = -ENXIO;
			break;
		}
		if (copy_to_user(buf, bounce, sz)) {
			err = -EFAULT;
			break;
		}
		buf += sz;
		p += sz;
		count -= sz;
		done += sz;
		cond_resched();
	}
	free_page((unsigned long)bounce);
	/* Like mem.c: the bytes read so far, else the error. */
	if (done) {
		*ppos += done;
		return done;
	}
	return err;
}

static const struct file_operations kmem_fops = {
	.owner	= THIS_MODULE,
	.open	= kmem_open,
	.llseek	= kmem_lseek,
	.read	= kmem_read,
	/* No .write, no .mmap: write(2) gives EBADF/EINVAL, mmap(2) ENODEV. */
};

/* A misc device: minor 2 of MEM_MAJOR was kmem's, but mem.c owns that
 * major now.  devtmpfs creates /dev/kmem, root-only, 0400. */
static struct miscdevice kmem_dev = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "kmem",
	.fops		= &kmem_fops,
	.mode		= 0400,
};

static int __init kmem_init(void)
{
	int ret;

	if (kmem_locked_down()) {
		pr_err("kmem: kernel is locked down: refusing to load\n");
		return -EPERM;
	}
	ret = misc_register(&kmem_dev);
	if (ret)
		return ret;
	pr_warn("kmem: *** /dev/kmem TEACHING DEVICE LOADED ***\n");
	pr_warn("kmem: any CAP_SYS_RAWIO process can now read all kernel memory (keys, passwords, other users' data)\n");
	pr_warn("kmem: this belongs only in a disposable VM; rmmod kmem when done\n");
	return 0;
}

static void __exit kmem_exit(void)
{
	misc_deregister(&kmem_dev);
	pr_info("kmem: /dev/kmem removed\n");
}

module_init(kmem_init);
module_exit(kmem_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Read-only /dev/kmem for teaching (disposable VMs only)");
MODULE_AUTHOR("kmemstat");
