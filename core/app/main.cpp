#include <iostream>

#include "app/fieldlink_server.hpp"

POCO_SERVER_MAIN(fieldlink::FieldlinkServer)
