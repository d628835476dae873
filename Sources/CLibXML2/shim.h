// Includes only: every call into libxml2 lives in Ingest/XML/XMLPushParser.swift.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED   /* Debian builds libxml2 with ICU; its headers clash with Foundation's ICU */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
