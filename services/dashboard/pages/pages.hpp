// The kiosk's pages, one file each in pages/: what a page shows, built from what every page is made of
// (context.hpp). Its key and title are dashboard.cpp's, which picks the page by key.
#pragma once

#include "dashboard/dashboard.hpp"

namespace chiso::dashboard::pages {

class PageContext;

Page overview(const PageContext& ctx);
Page membership(const PageContext& ctx);
Page admission(const PageContext& ctx);
Page discipline(const PageContext& ctx);
Page rating(const PageContext& ctx);
Page cadres(const PageContext& ctx);

}  // namespace chiso::dashboard::pages
