#include "relais/Version.h"

#ifndef RELAIS_VERSION_STRING
#define RELAIS_VERSION_STRING "0.0.0"
#endif

namespace relais {
const char* const kVersion = RELAIS_VERSION_STRING;
}
