import path from 'node:path';
import webpack from 'webpack';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

/** Dev appid of the mini-program; kept in sync with src/config.ts and project.config.json. */
const DEFAULT_APPID = 'wx8d2c3f1a5b7e9d01';

/**
 * npm workspaces: the web app hoists React 19 to the root node_modules, so React 18 and the
 * React-bound Taro packages live in miniprogram/node_modules. Search there first so packages
 * hoisted to the root (@tarojs/taro-h5, @tarojs/components-react…) get the same React 18.
 */
const OWN_NODE_MODULES = path.resolve(__dirname, '..', 'node_modules');
function preferOwnNodeModules(chain: { resolve: { modules: { clear(): unknown; add(v: string): unknown } } }) {
  chain.resolve.modules.clear();
  chain.resolve.modules.add(OWN_NODE_MODULES);
  chain.resolve.modules.add('node_modules');
}

/**
 * The enum labels' one source lives in the API package (`@power/api/labels` → api/src/shared/labels.ts, a
 * dependency-free TS module): Taro compiles only sourceRoot by default, so that folder is compiled too.
 */
const SHARED_LABELS = path.resolve(__dirname, '..', '..', 'api', 'src', 'shared');

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV;
  const isH5 = platform === 'h5';

  // Build-time configuration (Taro env vars). Defaults differ per platform:
  // the H5 static server proxies /trpc and /wxsim; the weapp talks to the API directly.
  const apiBase = process.env.TARO_APP_API_BASE || (isH5 ? '/trpc' : 'http://127.0.0.1:4000/trpc');
  const wechatSimBase = process.env.TARO_APP_WECHAT_SIM_BASE || (isH5 ? '/wxsim' : '');
  // H5 only: where the adapter completes a payment (the WeChat Pay simulator behind the H5 server's proxy).
  const wechatPaySimBase = process.env.TARO_APP_WECHATPAY_SIM_BASE || (isH5 ? '/wxpaysim' : '');
  const appid = process.env.TARO_APP_APPID || process.env.TARO_APP_ID || DEFAULT_APPID;
  // Taro writes TARO_APP_ID into dist/weapp/project.config.json.
  process.env.TARO_APP_ID = appid;

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'power-miniprogram',
    date: '2025-12-1',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${platform ?? 'weapp'}`,
    plugins: [],
    defineConstants: {
      __API_BASE__: JSON.stringify(apiBase),
      __WECHAT_SIM_BASE__: JSON.stringify(wechatSimBase),
      __WECHATPAY_SIM_BASE__: JSON.stringify(wechatPaySimBase),
      __APPID__: JSON.stringify(appid),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      compile: { include: [SHARED_LABELS] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        preferOwnNodeModules(chain);
        // The WeChat runtime has no AbortController: tRPC's links reference it as a free variable.
        chain.plugin('provide-abort-controller').use(webpack.ProvidePlugin, [
          {
            AbortController: [path.resolve(__dirname, '..', 'src/lib/abort-controller.ts'), 'AbortControllerPolyfill'],
          },
        ]);
      },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      compile: { include: [SHARED_LABELS] },
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      webpackChain(chain) {
        preferOwnNodeModules(chain);
        // A mini-program-sized bundle; webpack's 244 KiB desktop hint is noise here.
        chain.performance.hints(false);
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
