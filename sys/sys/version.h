/* The release of EclipseOS, for the boot banner and uname(2). */
#ifndef _SYS_VERSION_H_
#define _SYS_VERSION_H_

#define ECLIPSE_VERSION	"0.1"

#endif /* _SYS_VERSION_H_ */
