import { beforeEach, describe, expect, it, vi } from 'vitest'
import { currentSimUser, h5Platform, payAtSimulator, simUserFromUrl } from './h5'
import { PlatformError } from './types'

describe('h5 platform adapter', () => {
  beforeEach(() => localStorage.clear())

  it('reads simUser before or inside the hash', () => {
    expect(simUserFromUrl('http://h/?simUser=alice#/pages/login/index')).toBe('alice')
    expect(simUserFromUrl('http://h/#/pages/login/index?simUser=bob&x=1')).toBe('bob')
    expect(simUserFromUrl('http://h/#/pages/login/index')).toBeNull()
  })

  it('remembers the URL simUser, else keeps one random id', () => {
    expect(currentSimUser('http://h/?simUser=alice')).toBe('alice')
    expect(currentSimUser('http://h/')).toBe('alice')
    localStorage.clear()
    const a = currentSimUser('http://h/')
    expect(a).toMatch(/^sim-/)
    expect(currentSimUser('http://h/')).toBe(a)
  })

  it('asks the simulator for login and phone codes', async () => {
    const fetchMock = vi.fn(async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body) as Record<string, string>
      return new Response(JSON.stringify({ code: `code-for-${body.simUser}-${body.phone ?? 'login'}` }), { status: 200 })
    })
    vi.stubGlobal('fetch', fetchMock)
    localStorage.setItem('ps.simUser', 'carol')
    expect(await h5Platform.login()).toBe('code-for-carol-login')
    expect(fetchMock.mock.calls[0]![0]).toBe('/wxsim/sim/wx/login')
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body)).toEqual({ appid: 'wx8d2c3f1a5b7e9d01', simUser: 'carol' })
    expect(await h5Platform.getPhoneCode({ kind: 'phone', phone: '13800000009' })).toBe('code-for-carol-13800000009')
    expect(fetchMock.mock.calls[1]![0]).toBe('/wxsim/sim/wx/phone')
    vi.unstubAllGlobals()
  })

  it('completes a payment at the Pay simulator by out_trade_no', async () => {
    const params = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx123', signType: 'RSA' as const, paySign: 's' }
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ trade_state: 'SUCCESS' }), { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    await h5Platform.requestPayment(params, { paymentId: 'p1', outTradeNo: 'P20261201ABC' })
    expect((fetchMock.mock.calls[0] as unknown[])[0]).toBe('/wxpaysim/sim/pay/P20261201ABC')
    expect(((fetchMock.mock.calls[0] as unknown[])[1] as { method: string }).method).toBe('POST')
    await payAtSimulator(params, { paymentId: 'p1', outTradeNo: 'X1' }, 'http://sim:1/base/')
    expect((fetchMock.mock.calls[1] as unknown[])[0]).toBe('http://sim:1/base/sim/pay/X1')

    fetchMock.mockImplementationOnce(async () => new Response(JSON.stringify({ code: 'ORDER_CLOSED', message: '订单已关闭' }), { status: 400 }))
    await expect(h5Platform.requestPayment(params, { paymentId: 'p1', outTradeNo: 'T' })).rejects.toEqual(new PlatformError('failed', '订单已关闭'))
    await expect(h5Platform.requestPayment({ ...params, package: 'x' }, { paymentId: 'p1', outTradeNo: 'T' })).rejects.toBeInstanceOf(PlatformError)
    vi.unstubAllGlobals()
  })
})

describe('h5 openDocument', () => {
  it('downloads through a same-origin link without leaving the page', async () => {
    const clicked: string[] = []
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href')!)
    })
    await h5Platform.openDocument('/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c')
    expect(clicked).toEqual(['/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c'])
    expect(document.querySelectorAll('a').length).toBe(0)
    spy.mockRestore()
  })
})
