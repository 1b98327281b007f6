import type { ThemeConfig } from 'antd';

export const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif';

/** State Grid–style palette: deep teal primary, utility blue accents. */
export const COLORS = {
  primary: '#00706b',
  primaryDark: '#005552',
  blue: '#0b5394',
  bg: '#f2f5f7',
  danger: '#d4380d',
};

export const theme: ThemeConfig = {
  token: {
    colorPrimary: COLORS.primary,
    colorInfo: COLORS.blue,
    colorLink: COLORS.blue,
    borderRadius: 6,
    fontFamily: FONT_STACK,
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#0f2a3a', bodyBg: COLORS.bg },
    Menu: { darkItemBg: '#0f2a3a', darkSubMenuItemBg: '#0b2230', darkItemSelectedBg: COLORS.primary },
  },
};
