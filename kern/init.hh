// kern/init.hh: boot entry points and the panic state (kern/init.cc).
#ifndef JOS_KERN_INIT_HH
#define JOS_KERN_INIT_HH

// The first panic's format string; non-null once any CPU has panicked.
extern const char *volatile panicstr;

extern "C" [[noreturn]] void i386_init(void);
extern "C" [[noreturn]] void mp_main(void);

#endif // !JOS_KERN_INIT_HH
